package dev.peregrine.server.persistence;

import dev.peregrine.persistence.aof.AofReader;
import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import dev.peregrine.server.diff.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches the AOF for each write, compared with what a real redis-server writes into its incremental AOF
 * file for the same commands: rewritten forms (PXAT, PEXPIREAT, KEEPTTL, HSET, SREM, LPOP...), SELECT only when the
 * database changes, lazy-expiry DELs, nothing for failed or read-only commands. Absolute times are compared
 * within a tolerance, as both servers compute them from their own clock.
 */
class AofPropagationTest {

    /** Each element: the command (space-separated, no spaces in arguments), or "sleep N" in ms. */
    private static final String[] SCRIPT = {
        // keys expire on access only, so the DEL of an expired key goes out with the command that found it
        "debug set-active-expire 0",
        "set a 1 ex 100 nx", "setex b 100 x", "set c 1 pxat 99999999999999", "expire c 50", "expire nokey 10",
        "incrbyfloat f 1.5", "set e 1 px 1", "sleep 20", "set e 2", "get zz", "del nokey",
        "select 1", "set a 1", "select 1", "set b 2", "select 0", "set c 3",
        "sadd s1 x", "spop s1", "sadd s2 1 2 3", "spop s2 5",
        "rpush l 1 2 3", "lmpop 1 l left count 2", "rpush l2 a b c", "blmpop 0 1 l2 right count 5",
        "rpush l3 a b", "blpop l3 0", "brpop l3 0", "rpush l4 a", "brpoplpush l4 l5 0", "blmove l5 l4 left right 0",
        "set m 1", "getex m ex 100", "getex m persist", "getex m persist", "getex m pxat 1", "getdel nokey",
        "set n 1", "getdel n", "set k 1", "expire k -1", "set p 1 px 1", "sleep 20", "get p",
        "hset h f 1", "hincrbyfloat h f 2.5", "set q 1 ex 100 get", "zadd z 1 a 2 b 3 c", "zmpop 1 z min",
        "bzpopmin z 0", "bzmpop 0 1 z max count 9", "zadd z2 1 a", "zpopmax z2",
        "set x 1", "persist x", "set y 1 ex 100", "persist y", "set k8 1", "incrbyfloat k8 1e3", "append k8 x",
        "setrange k8 0 z", "setnx k8 v", "setnx k9 v", "flushdb", "flushall", "flushall",
        "set r 1", "rename r r2", "copy r2 r3", "move r3 1", "swapdb 0 1", "lpush t a", "sort t alpha store t2",
    };

    /** Scripts and functions, run after {@link #SCRIPT}: their writes go out as effects, one unit per script. */
    private static final String[][] SCRIPTING = {
        {"eval", "redis.call('set', KEYS[1], ARGV[1]) redis.call('incr', 'cnt') return 1", "1", "sk", "sv"},
        {"eval", "return redis.call('set', 'one', '1')", "0"},
        {"eval", "return redis.call('get', 'one')", "0"},
        {"eval", "redis.call('select', 2) redis.call('set', 'in2', 'x') return redis.call('set', 'in2b', 'y')", "0"},
        {"set", "after", "1"},
        {"eval", "redis.call('set', 'e', '1', 'ex', '100') redis.call('rpush', 'sl', 'a', 'b') "
            + "return redis.call('lpop', 'sl')", "0"},
        {"eval", "redis.call('set', 'w', '1') error('fails after a write')", "0"},
        {"eval", "return redis.call('incr', 'one')", "0"},
        {"evalsha", "0000000000000000000000000000000000000000", "0"},
        {"script", "load", "return redis.call('incr', 'loaded')"},
        {"evalsha", "5943ee4581c10f3f8872b3f8718ccb27c394c5bf", "0"},
        {"function", "load", "#!lua name=plib\nredis.register_function('pf', function(k, a) "
            + "return redis.call('set', k[1], a[1]) end)"},
        {"fcall", "pf", "1", "fk", "fv"},
        {"fcall_ro", "pf", "1", "fk", "fv"},
        {"function", "delete", "plib"},
        {"function", "flush"},
        {"multi"}, {"eval", "return redis.call('set', 'inmulti', '1')", "0"}, {"set", "m2", "1"}, {"exec"},
        {"eval", "redis.set_repl(redis.REPL_NONE) redis.call('set', 'hidden', '1') redis.set_repl(redis.REPL_ALL) "
            + "redis.call('set', 'shown', '1') redis.set_repl(redis.REPL_NONE) return redis.call('incr', 'hidden')", "0"},
        // REPL_AOF writes reach the AOF, REPL_REPLICA ones only replicas
        {"eval", "redis.set_repl(redis.REPL_AOF) redis.call('set', 'aofonly', '1') "
            + "redis.set_repl(redis.REPL_REPLICA) redis.call('set', 'replonly', '1') "
            + "redis.set_repl(redis.REPL_SLAVE) return redis.call('set', 'replonly2', '1')", "0"},
    };

    @Test
    void theAofHoldsWhatRedisWrites(@TempDir Path redisDir, @TempDir Path ourDir) throws Exception {
        List<List<String>> expected;
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always",
                "--dir", redisDir.toString(), "--enable-debug-command", "yes")) {
            run(redis.port());
        }
        expected = readIncr(redisDir.resolve("appendonlydir"));
        List<List<String>> actual;
        try (TestServer server = TestServer.start(c -> {
            c.set("appendonly", "yes");
            c.set("dir", ourDir.toString());
            c.set("enable-debug-command", "yes");
        })) {
            run(server.port());
        }
        actual = readIncr(ourDir.resolve("appendonlydir"));
        assertSame(expected, actual);
    }

    private static void run(int port) throws IOException, InterruptedException {
        try (RawResp r = new RawResp(port)) {
            for (String line : SCRIPT) {
                if (line.startsWith("sleep ")) {
                    Thread.sleep(Long.parseLong(line.substring(6)));
                    continue;
                }
                r.call(line.split(" "));
            }
            for (String[] cmd : SCRIPTING) {
                String[] args = cmd.clone();
                for (int i = 0; i < args.length; i++) {
                    args[i] = args[i].replace("\\n", "\n");
                }
                r.call(args);
            }
        }
    }

    static List<List<String>> readIncr(Path dir) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".incr.aof")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    AofReader.Result r = new AofReader(in, 0, p.toString()).read((argv, end) -> {
                        List<String> cmd = new ArrayList<>();
                        for (byte[] a : argv) {
                            cmd.add(new String(a, StandardCharsets.ISO_8859_1));
                        }
                        out.add(cmd);
                    });
                    assertTrue(!r.truncated(), "complete file " + p);
                }
            }
        }
        return out;
    }

    private static void assertSame(List<List<String>> expected, List<List<String>> actual) {
        String e = String.join("\n", expected.stream().map(l -> String.join(" ", l)).toList());
        String a = String.join("\n", actual.stream().map(l -> String.join(" ", l)).toList());
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            List<String> x = expected.get(i);
            List<String> y = actual.get(i);
            same = x.size() == y.size();
            for (int j = 0; same && j < x.size(); j++) {
                same = x.get(j).equals(y.get(j)) || closeTimes(x.get(j), y.get(j));
            }
        }
        if (!same) {
            assertEquals(e, a);
        }
    }

    /** Two absolute Unix ms times computed by the two servers for the same relative expiry. */
    private static boolean closeTimes(String x, String y) {
        try {
            long a = Long.parseLong(x);
            long b = Long.parseLong(y);
            return a > 1_000_000_000_000L && b > 1_000_000_000_000L && Math.abs(a - b) < 10_000;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
