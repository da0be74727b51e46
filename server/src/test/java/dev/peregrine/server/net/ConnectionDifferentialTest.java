package dev.peregrine.server.net;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Connection commands with deterministic replies, sent to Peregrine and to a real redis-server on fresh
 * connections, compared byte for byte. Left out: replies that differ between the installed Redis 7.0 and 7.2
 * (CLIENT SETINFO and NO-TOUCH, added in 7.2; HELLO's NOAUTH text) and replies carrying ids, ports or times.
 */
class ConnectionDifferentialTest {
    private static final String[] SCRIPTS = {
        "HELLO 4\r\nHELLO 1\r\nHELLO x\r\nHELLO 3 foo\r\nHELLO 3 SETNAME\r\nHELLO 3 auth a\r\nHELLO 2 SETNAME \"a b\"\r\n",
        "AUTH x\r\nAUTH default x\r\nAUTH foo x\r\nAUTH a b c\r\nAUTH\r\n",
        "CLIENT SETNAME \"a b\"\r\nCLIENT SETNAME \"a\\nb\"\r\nCLIENT SETNAME ok\r\nCLIENT GETNAME\r\n"
            + "CLIENT SETNAME \"\"\r\nCLIENT GETNAME\r\nCLIENT SETNAME\r\nCLIENT GETNAME x\r\n",
        "CLIENT LIST TYPE foo\r\nCLIENT LIST ID x\r\nCLIENT LIST ID 0\r\nCLIENT LIST ID 999999\r\nCLIENT LIST foo\r\n"
            + "CLIENT LIST TYPE master\r\nCLIENT LIST TYPE pubsub\r\nCLIENT LIST TYPE normal ID 1\r\n",
        "CLIENT KILL 1.2.3.4:5\r\nCLIENT KILL ID 0\r\nCLIENT KILL ID x\r\nCLIENT KILL TYPE foo\r\n"
            + "CLIENT KILL USER foo\r\nCLIENT KILL SKIPME x\r\nCLIENT KILL ID 1 SKIPME\r\nCLIENT KILL ADDR 1.1.1.1:1\r\n"
            + "CLIENT KILL LADDR 1.1.1.1:1 USER default TYPE replica\r\nCLIENT KILL\r\nCLIENT KILL ID 999999\r\n"
            + "CLIENT KILL foo bar\r\n",
        "CLIENT PAUSE abc\r\nCLIENT PAUSE -1\r\nCLIENT PAUSE 10 foo\r\nCLIENT PAUSE\r\nCLIENT UNPAUSE x\r\n"
            + "CLIENT PAUSE 0 WRITE\r\nCLIENT UNPAUSE\r\n",
        "CLIENT REPLY foo\r\nCLIENT NO-EVICT foo\r\nCLIENT NO-EVICT on\r\nCLIENT NO-EVICT OFF\r\nCLIENT nope\r\n"
            + "CLIENT\r\nCLIENT ID x\r\nCLIENT INFO x\r\n",
        "CLIENT REPLY SKIP\r\nPING a\r\nPING b\r\nCLIENT REPLY OFF\r\nPING c\r\nCLIENT REPLY SKIP\r\nPING d\r\n"
            + "CLIENT REPLY ON\r\nPING e\r\nCLIENT REPLY SKIP\r\nRESET\r\nPING f\r\n",
        "SELECT 3\r\nHELLO 3 SETNAME x\r\nPING\r\nCLIENT GETNAME\r\nCLIENT NO-EVICT on\r\nRESET\r\nCLIENT GETNAME\r\nPING\r\n",
        "HELLO 3\r\nPING\r\nPING x\r\nCLIENT GETNAME\r\nECHO e\r\nHELLO 2\r\nCLIENT GETNAME\r\n",
        "QUIT\r\nPING\r\n",
    };

    /** Replaces HELLO's id and version values, the variable parts of the scripts' replies, with fixed ones. */
    private static String normalize(String transcript) {
        return transcript.replaceAll("\\$2\r\nid\r\n:\\d+\r\n", "\\$2\r\nid\r\n:0\r\n")
                .replaceAll("\\$7\r\nversion\r\n\\$\\d+\r\n[0-9.]+\r\n", "\\$7\r\nversion\r\n\\$1\r\nV\r\n");
    }

    @Test
    void sameBytesAsRealRedis() throws Exception {
        try (RealRedis redis = RealRedis.start(); TestServer ours = TestServer.start()) {
            List<String> mismatches = new ArrayList<>();
            for (String script : SCRIPTS) {
                String expected = normalize(ProtocolIntegrationTest.transcript(redis.port(), script, 300));
                String actual = normalize(ProtocolIntegrationTest.transcript(ours.port(), script, 300));
                if (!expected.equals(actual)) {
                    mismatches.add("script: " + script + "\nredis:     " + expected + "\nperegrine: " + actual);
                }
            }
            assertEquals(List.of(), mismatches);
        }
    }
}
