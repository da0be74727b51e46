package dev.peregrine.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the real redis-cli and our CLI against the same redis-server and requires the same stdout bytes, stderr
 * and exit code, for every reply type in every output form (raw, formatted, CSV, JSON, quoted JSON) over RESP2 and
 * RESP3.
 */
class OutputParityTest {
    private static RealRedis redis;

    private static final String[] MODES = {"--raw", "--no-raw", "--csv", "--json", "--quoted-json"};

    @BeforeAll
    static void start() throws Exception {
        redis = RealRedis.start();
        try (Connection c = redis.connect()) {
            byte[] all = new byte[256];
            for (int i = 0; i < 256; i++) {
                all[i] = (byte) i;
            }
            c.call(List.of(b("SET"), b("bin"), all));
            c.callStrings("SET", "str", "Hello World");
            c.callStrings("SET", "esc", "q\"uote\\ back\nline\rret\ttab\u0007bell\bbs \u007f");
            c.callStrings("SET", "utf", "é€ 日本");
            c.callStrings("SET", "empty", "");
            c.callStrings("RPUSH", "list", "a", "", "b c", "\u0001\u00ff", "12", "-3.5");
            c.callStrings("HSET", "hash", "f1", "v1", "f2", "", "f3", "123");
            c.callStrings("SADD", "set", "m1", "m2", "m3");
            c.callStrings("SADD", "iset", "3", "1", "2");
            c.callStrings("ZADD", "zset", "1.5", "a", "2", "b", "-inf", "c", "1e100", "d");
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<String[]> commands() {
        List<String[]> cmds = new ArrayList<>();
        cmds.add(new String[] {"get", "str"});
        cmds.add(new String[] {"get", "bin"});
        cmds.add(new String[] {"get", "esc"});
        cmds.add(new String[] {"get", "utf"});
        cmds.add(new String[] {"get", "empty"});
        cmds.add(new String[] {"get", "missing"});
        cmds.add(new String[] {"ping"});
        cmds.add(new String[] {"strlen", "str"});
        cmds.add(new String[] {"incrbyfloat", "missing", "0"});
        cmds.add(new String[] {"lrange", "list", "0", "-1"});
        cmds.add(new String[] {"lrange", "missing", "0", "-1"});
        cmds.add(new String[] {"hgetall", "hash"});
        cmds.add(new String[] {"hgetall", "missing"});
        cmds.add(new String[] {"smembers", "set"});
        cmds.add(new String[] {"smembers", "iset"});
        cmds.add(new String[] {"smembers", "missing"});
        cmds.add(new String[] {"zrange", "zset", "0", "-1", "withscores"});
        cmds.add(new String[] {"zscore", "zset", "a"});
        cmds.add(new String[] {"zscore", "zset", "c"});
        cmds.add(new String[] {"mget", "str", "missing", "bin"});
        cmds.add(new String[] {"config", "get", "maxmemory-polic*"});
        cmds.add(new String[] {"foo", "bar"});
        cmds.add(new String[] {"get"});
        cmds.add(new String[] {"eval", "return {1,{2,{3,'x'}},{},redis.error_reply('E bad'),false,"
                + "{1,2,3,4,5,6,7,8,9,10,{1,{2,{}}}},redis.status_reply('fine')}", "0"});
        cmds.add(new String[] {"eval", "redis.setresp(3); return {{map={k={1,{2,3}}, k2={map={x={1,2}}}}},"
                + " {map={}}, {map={one={7}}}, {double=2.5}}", "0"});
        cmds.add(new String[] {"eval", "redis.setresp(3); return {map={k={map={a=1,b={2}}}}}", "0"});
        cmds.add(new String[] {"eval", "local t = {} for i=1,12 do t[i]={i,{i}} end return t", "0"});
        cmds.add(new String[] {"eval", "redis.setresp(3); return redis.call('hgetall', 'hash')", "0"});
        for (String type : new String[] {"string", "integer", "double", "null", "array", "set", "map", "push",
                                         "verbatim", "true", "false"}) {
            cmds.add(new String[] {"debug", "protocol", type});
        }
        return cmds.stream();
    }

    static Stream<List<String>> everyMode() {
        List<List<String>> runs = new ArrayList<>();
        commands().forEach(cmd -> {
            for (String proto : new String[] {"-2", "-3"}) {
                for (String mode : MODES) {
                    String[] args = new String[cmd.length + 2];
                    args[0] = proto;
                    args[1] = mode;
                    System.arraycopy(cmd, 0, args, 2, cmd.length);
                    runs.add(List.of(args));
                }
            }
        });
        return runs.stream();
    }

    static void assertSame(String[] args) throws Exception {
        assertSame(new byte[0], args);
    }

    static void assertSame(byte[] stdin, String... args) throws Exception {
        RealRedis.Result expected = redis.redisCli(stdin, args);
        RealRedis.Result actual = redis.ours(stdin, args);
        String what = String.join(" ", args);
        assertEquals(expected.toString(), actual.toString(), what);
        assertArrayEquals(expected.out(), actual.out(), what);
    }

    @ParameterizedTest
    @MethodSource("everyMode")
    void sameOutputAsRedisCli(List<String> args) throws Exception {
        assertSame(args.toArray(new String[0]));
    }

    @Test
    void errorReplyWithDashEGoesToStderrAndExitsOne() throws Exception {
        for (String mode : MODES) {
            assertSame(new String[] {"-e", mode, "foo"});
            assertSame(new String[] {"-e", mode, "get", "str"});
            assertSame(new String[] {"-e", mode, "-r", "3", "foo"});
            // an error nested in an array does not count
            assertSame(new String[] {"-e", mode, "eval", "return {1,redis.error_reply('E x')}", "0"});
        }
    }

    @Test
    void delimiters() throws Exception {
        assertSame(new String[] {"-d", ",", "lrange", "list", "0", "-1"});
        assertSame(new String[] {"-d", "", "-D", "XX", "lrange", "list", "0", "-1"});
        assertSame(new String[] {"-D", "", "-r", "3", "get", "str"});
        assertSame(new String[] {"-3", "-d", "|", "hgetall", "hash"});
        // the formatted form ignores both
        assertSame(new String[] {"--no-raw", "-d", ",", "-D", "XX", "-r", "2", "lrange", "list", "0", "-1"});
    }

    @Test
    void humanReadableRepliesArePrintedAsTheyAre() throws Exception {
        for (String mode : MODES) {
            assertSame(new String[] {mode, "latency", "doctor"});
        }
    }

    @Test
    void pushesAreShownOnlyWhenAsked() throws Exception {
        assertSame(new String[] {"-3", "--show-pushes", "yes", "debug", "protocol", "push"});
        assertSame(new String[] {"-3", "--no-raw", "--show-pushes", "yes", "debug", "protocol", "push"});
        assertSame(new String[] {"-3", "--show-pushes", "no", "debug", "protocol", "push"});
    }

    @Test
    void quotedInput() throws Exception {
        assertSame(new String[] {"--quoted-input", "echo", "\"a\\x00b\\n\""});
        assertSame(new String[] {"--quoted-input", "--no-raw", "echo", "'single'", "x"});
        assertSame(new String[] {"--quoted-input", "echo", "\"unbalanced"});
    }

    @Test
    void lastOutputOptionWins() throws Exception {
        assertSame(new String[] {"--csv", "--no-raw", "lrange", "list", "0", "-1"});
        assertSame(new String[] {"--no-raw", "--raw", "lrange", "list", "0", "-1"});
        assertSame(new String[] {"--json", "--csv", "hgetall", "hash"});
    }
}
