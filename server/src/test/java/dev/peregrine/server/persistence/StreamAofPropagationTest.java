package dev.peregrine.server.persistence;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What reaches the AOF for stream writes, compared with redis-server's incremental AOF for the same commands: XADD
 * with the generated ID and exact trim bounds, XTRIM ~ made exact, XREADGROUP / XCLAIM / XAUTOCLAIM as XCLAIM
 * effects plus XGROUP SETID ... ENTRIESREAD and XGROUP CREATECONSUMER, nothing for reads. Times and generated IDs
 * are compared within a tolerance, as each server takes them from its own clock.
 */
class StreamAofPropagationTest {
    private static final String[] SCRIPT = {
        "config set stream-node-max-entries 2",
        "xadd s 1-1 a 1", "xadd s * b 2", "xadd s 99999999999999-* c 3", "xadd s 99999999999999-* c 4",
        "xadd nokey nomkstream * a b", "xadd s nomkstream 99999999999999-10 d 5",
        "xadd s maxlen ~ 1 99999999999999-11 e 6", "xadd s maxlen ~ 100 99999999999999-12 e 7",
        "xadd s minid ~ 99999999999999-11 99999999999999-13 f 8", "xadd s maxlen = 4 99999999999999-14 g 9",
        "xadd t 1-1 a 1", "xadd t 2-1 a 2", "xadd t 3-1 a 3", "xadd t 4-1 a 4", "xadd t 5-1 a 5",
        "xtrim t maxlen ~ 2", "xtrim t maxlen ~ 100", "xtrim t minid ~ 5", "xtrim t maxlen 1", "xtrim t minid 9",
        "xtrim nokey maxlen 0",
        "xdel s 1-1 9-9", "xdel s 1-1", "xsetid s 99999999999999-99", "xsetid s 99999999999999-99 entriesadded 50",
        "xgroup create s g 0", "xgroup create s g 0", "xgroup create s2 g $ mkstream",
        "xreadgroup group g alice count 2 streams s >", "xreadgroup group g bob noack count 1 streams s >",
        "xreadgroup group g alice streams s 0", "xreadgroup group g carol streams s2 >",
        "xreadgroup group g carol streams s2 >",
        "xack s g 99999999999999-0 99999999999999-1", "xack s g 1-0",
        "xclaim s g dave 0 99999999999999-0", "xclaim s g dave 0 99999999999999-0 justid",
        "xclaim s g erin 0 99999999999999-0 idle 5000 retrycount 9", "xclaim s g erin 0 1-0 lastid 99999999999999-12",
        "xreadgroup group g alice count 1 streams s >", "xdel s 99999999999999-12",
        "xautoclaim s g frank 0 0 count 10", "xautoclaim s g frank 0 0 justid",
        "xgroup createconsumer s g gina", "xgroup createconsumer s g gina", "xgroup delconsumer s g gina",
        "xgroup delconsumer s g nobody", "xgroup setid s g 0", "xgroup setid s g $ entriesread 3",
        "xgroup destroy s g", "xgroup destroy s g", "xrange s - +", "xlen s", "xinfo stream s",
        "config set stream-node-max-entries 100",
    };

    @Test
    void theAofHoldsWhatRedisWrites(@TempDir Path redisDir, @TempDir Path ourDir) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always",
                "--dir", redisDir.toString())) {
            run(redis.port());
        }
        List<List<String>> expected = AofPropagationTest.readIncr(redisDir.resolve("appendonlydir"));
        try (TestServer server = TestServer.start(c -> {
            c.set("appendonly", "yes");
            c.set("dir", ourDir.toString());
        })) {
            run(server.port());
        }
        List<List<String>> actual = AofPropagationTest.readIncr(ourDir.resolve("appendonlydir"));
        String e = String.join("\n", expected.stream().map(l -> String.join(" ", l)).toList());
        String a = String.join("\n", actual.stream().map(l -> String.join(" ", l)).toList());
        assertEquals(normalize(e), normalize(a), () -> "raw:\n" + e + "\n---\n" + a);
    }

    private static final Pattern TIME = Pattern.compile("\\b1[0-9]{12}\\b");

    /** Replaces Unix ms times (delivery times, generated IDs' ms part) by a marker, keeping the rest. */
    private static String normalize(String s) {
        Matcher m = TIME.matcher(s);
        return m.replaceAll("<ms>");
    }

    private static void run(int port) throws IOException {
        try (RawResp r = new RawResp(port)) {
            for (String line : SCRIPT) {
                r.call(line.split(" "));
            }
        }
    }
}
