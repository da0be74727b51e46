package dev.peregrine.server.command.stream;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * XCLAIM FORCE on an entry that is in no PEL creates the PEL entry with one delivery counted, as Redis's
 * streamCreateNACK: JUSTID leaves it at 1, a plain claim counts one more (2), RETRYCOUNT sets it.
 */
class StreamClaimTest {

    /** The delivery count (fourth field) of the only entry of an extended XPENDING reply. */
    private static String deliveryCount(RawResp r, String key, String group) throws Exception {
        String reply = r.call("XPENDING", key, group, "-", "+", "10");
        String[] lines = reply.split("\r\n");
        assertEquals("*1", lines[0], reply);
        return lines[lines.length - 1];
    }

    @Test
    void forcedClaimCountsOneDelivery() throws Exception {
        try (TestServer server = TestServer.start(); RawResp r = new RawResp(server.port())) {
            r.call("XADD", "s", "1-0", "f", "v");
            r.call("XADD", "s", "2-0", "f", "v");
            r.call("XADD", "s", "3-0", "f", "v");
            r.call("XGROUP", "CREATE", "s", "g", "$");
            assertEquals("*1\r\n$3\r\n1-0\r\n", r.call("XCLAIM", "s", "g", "alice", "0", "1-0", "FORCE", "JUSTID"));
            assertEquals(":1", deliveryCount(r, "s", "g"));
            r.call("XACK", "s", "g", "1-0");
            r.call("XCLAIM", "s", "g", "alice", "0", "2-0", "FORCE");
            assertEquals(":2", deliveryCount(r, "s", "g"));
            r.call("XACK", "s", "g", "2-0");
            r.call("XCLAIM", "s", "g", "alice", "0", "3-0", "FORCE", "RETRYCOUNT", "7");
            assertEquals(":7", deliveryCount(r, "s", "g"));
        }
    }
}
