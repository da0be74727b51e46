package dev.peregrine.server.command.zset;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZSetCommandsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawResp raw() throws Exception {
        return new RawResp(server.port());
    }

    private static RawResp raw3() throws Exception {
        RawResp r = raw();
        r.call("HELLO", "3");
        return r;
    }

    @Test
    void basicRepliesResp2() throws Exception {
        try (RawResp r = raw()) {
            r.call("DEL", "b1");
            assertEquals(":3\r\n", r.call("ZADD", "b1", "1", "a", "2.5", "b", "-2.25", "c"));
            assertEquals("$3\r\n2.5\r\n", r.call("ZSCORE", "b1", "b"));
            assertEquals("*6\r\n$1\r\nc\r\n$5\r\n-2.25\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n",
                    r.call("ZRANGE", "b1", "0", "-1", "WITHSCORES"));
            assertEquals("$3\r\n3.5\r\n", r.call("ZINCRBY", "b1", "1", "b"));
            assertEquals("*2\r\n$3\r\n3.5\r\n$-1\r\n", r.call("ZMSCORE", "b1", "b", "x"));
            assertEquals(":1\r\n", r.call("ZREM", "b1", "a"));
            assertEquals(":2\r\n", r.call("ZCARD", "b1"));
            assertEquals("*4\r\n$1\r\nc\r\n$5\r\n-2.25\r\n$1\r\nb\r\n$3\r\n3.5\r\n", r.call("ZPOPMIN", "b1", "5"));
            assertEquals(":0\r\n", r.call("EXISTS", "b1"));
        }
    }

    /** ZRANK / ZREVRANK WITHSCORE is Redis 7.2 only, so it is checked here rather than in the diff script. */
    @Test
    void rankWithScore() throws Exception {
        try (RawResp r = raw(); RawResp r3 = raw3()) {
            r.call("DEL", "rk");
            r.call("ZADD", "rk", "1", "a", "2.5", "b");
            assertEquals("*2\r\n:1\r\n$3\r\n2.5\r\n", r.call("ZRANK", "rk", "b", "WITHSCORE"));
            assertEquals("*2\r\n:0\r\n$3\r\n2.5\r\n", r.call("ZREVRANK", "rk", "b", "withscore"));
            assertEquals("*-1\r\n", r.call("ZRANK", "rk", "nope", "WITHSCORE"));
            assertEquals("*-1\r\n", r.call("ZRANK", "nokey", "a", "WITHSCORE"));
            assertEquals("$-1\r\n", r.call("ZRANK", "rk", "nope"));
            assertEquals("-ERR syntax error\r\n", r.call("ZRANK", "rk", "a", "WITHSCORES"));
            assertEquals("-ERR wrong number of arguments for 'zrank' command\r\n",
                    r.call("ZRANK", "rk", "a", "WITHSCORE", "x"));
            assertEquals("*2\r\n:1\r\n,2.5\r\n", r3.call("ZRANK", "rk", "b", "WITHSCORE"));
            assertEquals("_\r\n", r3.call("ZRANK", "rk", "nope", "WITHSCORE"));
            assertEquals("_\r\n", r3.call("ZRANK", "rk", "nope"));
        }
    }

    /** Redis 7.2 prints the shortest round-tripping decimal (7.0 printed %.17g). */
    @Test
    void scoresPrintShortest() throws Exception {
        try (RawResp r = raw(); RawResp r3 = raw3()) {
            r.call("DEL", "sh");
            assertEquals("$3\r\n0.1\r\n", r.call("ZINCRBY", "sh", "0.1", "m"));
            assertEquals("$19\r\n0.30000000000000004\r\n", r.call("ZINCRBY", "sh", "0.2", "m"));
            assertEquals(",0.30000000000000004\r\n", r3.call("ZSCORE", "sh", "m"));
            r.call("ZADD", "sh", "1e20", "big", "-inf", "low", "1.5e-7", "tiny");
            assertEquals("*6\r\n$3\r\nlow\r\n$4\r\n-inf\r\n$4\r\ntiny\r\n$6\r\n1.5e-7\r\n$3\r\nbig\r\n$5\r\n1e+20\r\n",
                    r.call("ZRANGE", "sh", "0", "-1", "WITHSCORES", "LIMIT", "0", "-1")
                            .replace("$1\r\nm\r\n$19\r\n0.30000000000000004\r\n", "").replace("*8", "*6"));
            assertEquals("*2\r\n$1\r\n0\r\n*8\r\n$3\r\nlow\r\n$4\r\n-inf\r\n$4\r\ntiny\r\n$6\r\n1.5e-7\r\n"
                    + "$1\r\nm\r\n$19\r\n0.30000000000000004\r\n$3\r\nbig\r\n$5\r\n1e+20\r\n", r.call("ZSCAN", "sh", "0"));
        }
    }

    @Test
    void resp3Shapes() throws Exception {
        try (RawResp r3 = raw3()) {
            r3.call("DEL", "r3", "r3b");
            r3.call("ZADD", "r3", "1", "a", "2", "b", "3", "c");
            assertEquals("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n",
                    r3.call("ZRANGE", "r3", "0", "1", "WITHSCORES"));
            assertEquals("*2\r\n$1\r\na\r\n,1\r\n", r3.call("ZPOPMIN", "r3"));
            assertEquals("*1\r\n*2\r\n$1\r\nc\r\n,3\r\n", r3.call("ZPOPMAX", "r3", "1"));
            assertEquals("*2\r\n$2\r\nr3\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", r3.call("ZMPOP", "1", "r3", "MIN"));
            assertEquals("_\r\n", r3.call("ZMPOP", "1", "r3", "MIN"));
            assertEquals("*0\r\n", r3.call("ZPOPMIN", "r3"));
            r3.call("ZADD", "r3b", "inf", "x");
            assertEquals("*1\r\n*2\r\n$1\r\nx\r\n,inf\r\n", r3.call("ZRANDMEMBER", "r3b", "1", "WITHSCORES"));
            assertEquals("*2\r\n*2\r\n$1\r\nx\r\n,inf\r\n*2\r\n$1\r\nx\r\n,inf\r\n",
                    r3.call("ZRANDMEMBER", "r3b", "-2", "WITHSCORES"));
            assertEquals(",inf\r\n", r3.call("ZADD", "r3b", "INCR", "1", "x"));
            assertEquals("-ERR resulting score is not a number (NaN)\r\n", r3.call("ZINCRBY", "r3b", "-inf", "x"));
        }
    }

    /** Encodings follow Redis 7.2, including ZADD's conversion ahead of time from its argument count. */
    @Test
    void encodingConversions() throws Exception {
        try (RawResp r = raw()) {
            r.call("DEL", "en1", "en2", "en3", "en4");
            List<String> args = new ArrayList<>(List.of("ZADD", "en1"));
            for (int i = 0; i < 129; i++) {
                args.add("1");
                args.add("same");
            }
            assertEquals(":1\r\n", r.call(args.toArray(new String[0])));
            // 7.2 converts from the element count before adding, even though one member results
            assertEquals("skiplist", RawResp.encoding(server, "en1"));
            r.call("ZADD", "en2", "1", "a");
            r.call("ZADD", "en2", "XX", "1", "x".repeat(65));
            assertEquals("skiplist", RawResp.encoding(server, "en2"));
            assertEquals(":1\r\n", r.call("ZCARD", "en2"));
            r.call("ZADD", "en3", "1", "a", "2", "b");
            assertEquals("listpack", RawResp.encoding(server, "en3"));
            r.call("CONFIG", "SET", "zset-max-ziplist-entries", "2");
            try {
                r.call("ZADD", "en3", "3", "c");
                assertEquals("skiplist", RawResp.encoding(server, "en3"));
                r.call("ZREM", "en3", "c");
                assertEquals("skiplist", RawResp.encoding(server, "en3"));
                r.call("ZUNIONSTORE", "en4", "1", "en3");
                assertEquals("listpack", RawResp.encoding(server, "en4"));
                r.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
                r.call("ZADD", "en5", "1", "a");
                assertEquals("skiplist", RawResp.encoding(server, "en5"));
            } finally {
                r.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
                r.call("DEL", "en5");
            }
        }
    }

    @Test
    void zrandmemberCounts() throws Exception {
        try (RawResp r = raw()) {
            r.call("DEL", "rm");
            for (int i = 0; i < 300; i++) {
                r.call("ZADD", "rm", Integer.toString(i), "m" + i);
            }
            for (int count : new int[] {1, 5, 99, 150, 299, 300, 1000}) {
                Object reply = RawResp.parse(r.call("ZRANDMEMBER", "rm", Integer.toString(count)), false);
                List<?> items = (List<?>) reply;
                assertEquals(Math.min(count, 300), items.size());
                Set<Object> distinct = new HashSet<>(items);
                assertEquals(items.size(), distinct.size(), "distinct for " + count);
                for (Object o : items) {
                    assertTrue(o.toString().startsWith("$m"));
                }
            }
            List<?> rep = (List<?>) RawResp.parse(r.call("ZRANDMEMBER", "rm", "-500", "WITHSCORES"), false);
            assertEquals(1000, rep.size());
            for (int i = 0; i < rep.size(); i += 2) {
                assertEquals("$m" + rep.get(i + 1).toString().substring(1), rep.get(i).toString());
            }
            assertTrue(r.call("ZRANDMEMBER", "rm").startsWith("$"));
        }
    }

    @Test
    void zscanSkiplistVisitsAll() throws Exception {
        try (RawResp r = raw()) {
            r.call("DEL", "zs");
            for (int i = 0; i < 500; i++) {
                r.call("ZADD", "zs", Integer.toString(i), "m" + i);
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                String[] lines = r.call("ZSCAN", "zs", cursor, "COUNT", "20").split("\r\n");
                cursor = lines[2];
                int n = Integer.parseInt(lines[3].substring(1));
                for (int i = 0; i < n; i += 2) {
                    String m = lines[5 + 2 * i];
                    assertEquals(m.substring(1), lines[7 + 2 * i]);
                    seen.add(m);
                }
            } while (!cursor.equals("0"));
            assertEquals(500, seen.size());
        }
    }

    /** Random sorted set commands against a real redis-server: same replies, same encodings, op by op. */
    @Test
    void randomOpsMatchRealRedis() throws Exception {
        RawResp.RealRedis real = RawResp.RealRedis.start();
        Assumptions.assumeTrue(real != null || "true".equals(System.getenv("CI")), "no redis-server installed");
        if (real == null) {
            throw new AssertionError("redis-server required in CI");
        }
        Random rnd = new Random(2024);
        String[] keys = {"rz:a", "rz:b", "rz:c", "rz:s"};
        String[] scores = {"1", "2", "-2.25", "1.5", "0", "inf", "-inf", "3", "10", "0.5", "7"};
        try (real; RawResp ours = raw(); RawResp theirs = new RawResp(real.port)) {
            for (RawResp x : new RawResp[] {ours, theirs}) {
                x.call("DEL", keys[0], keys[1], keys[2], keys[3]);
                x.call("SADD", "rz:s", "m1", "m2", "m3");
            }
            boolean sawSkiplist = false;
            boolean sawListpack = false;
            for (int op = 0; op < 5000; op++) {
                if (op == 2500) {
                    ours.call("HELLO", "3");
                    theirs.call("HELLO", "3");
                }
                String key = keys[rnd.nextInt(3)];
                String other = keys[rnd.nextInt(keys.length)];
                boolean longOk = rnd.nextInt(10) == 0;
                String m = longOk ? "long-" + "x".repeat(60) + rnd.nextInt(5) : "m" + rnd.nextInt(rnd.nextBoolean() ? 10 : 150);
                String shortM = "m" + rnd.nextInt(150);
                String s = scores[rnd.nextInt(scores.length)];
                String lo = Integer.toString(rnd.nextInt(10) - 3);
                String hi = Integer.toString(rnd.nextInt(10));
                String[] cmd = switch (rnd.nextInt(26)) {
                    case 0, 1, 2, 3 -> new String[] {"ZADD", key, s, m, scores[rnd.nextInt(scores.length)], "m" + rnd.nextInt(150)};
                    case 4 -> new String[] {"ZADD", key, "XX", "CH", s, shortM};
                    case 5 -> new String[] {"ZADD", key, "NX", s, m};
                    case 6 -> new String[] {"ZADD", key, rnd.nextBoolean() ? "GT" : "LT", "CH", s, m};
                    case 7 -> new String[] {"ZINCRBY", key, s, m};
                    case 8 -> new String[] {"ZREM", key, m, shortM};
                    case 9 -> new String[] {"ZSCORE", key, m};
                    case 10 -> new String[] {"ZRANK", key, m};
                    case 11 -> new String[] {"ZREVRANK", key, shortM};
                    case 12 -> new String[] {"ZCOUNT", key, "(" + lo, hi};
                    case 13 -> new String[] {"ZRANGE", key, lo, hi, "WITHSCORES"};
                    case 14 -> new String[] {"ZRANGE", key, hi, "(" + lo, "BYSCORE", "REV", "LIMIT", "1", "5", "WITHSCORES"};
                    case 15 -> new String[] {"ZRANGEBYSCORE", key, lo, "+inf", "WITHSCORES", "LIMIT", "0", "10"};
                    case 16 -> new String[] {"ZREVRANGE", key, "0", hi};
                    case 17 -> new String[] {"ZREMRANGEBYRANK", key, lo, hi};
                    case 18 -> new String[] {"ZREMRANGEBYSCORE", key, "(" + hi, "+inf"};
                    case 19 -> new String[] {"ZPOPMIN", key, Integer.toString(rnd.nextInt(3))};
                    case 20 -> new String[] {"ZPOPMAX", key};
                    case 21 -> new String[] {"ZMPOP", "2", key, other, rnd.nextBoolean() ? "MIN" : "MAX", "COUNT", "2"};
                    case 22 -> new String[] {"ZUNIONSTORE", key, "2", key, other, "WEIGHTS", "1", "2", "AGGREGATE", rnd.nextBoolean() ? "MIN" : "SUM"};
                    case 23 -> new String[] {"ZINTER", "2", key, other, "WITHSCORES"};
                    case 24 -> new String[] {"ZRANGESTORE", key, other, lo, hi, "BYSCORE"};
                    default -> new String[] {"ZCARD", key};
                };
                assertEquals(theirs.call(cmd), ours.call(cmd), "op " + op + ": " + String.join(" ", cmd));
                for (String k : new String[] {key, other}) {
                    if (k.equals("rz:s")) {
                        continue;
                    }
                    Object enc = RawResp.parse(theirs.call("OBJECT", "ENCODING", k), false);
                    String ourEnc = RawResp.encoding(server, k);
                    sawSkiplist |= "skiplist".equals(ourEnc);
                    sawListpack |= "listpack".equals(ourEnc);
                    assertEquals("_".equals(enc) ? "(nil)" : enc, ourEnc == null ? "(nil)" : "$" + ourEnc, "encoding of " + k + " after op " + op);
                }
            }
            assertTrue(sawSkiplist && sawListpack, "both encodings exercised");
            for (String k : keys) {
                assertEquals(theirs.call("ZRANGE", k, "0", "-1", "WITHSCORES"), ours.call("ZRANGE", k, "0", "-1", "WITHSCORES"));
            }
        }
    }
}
