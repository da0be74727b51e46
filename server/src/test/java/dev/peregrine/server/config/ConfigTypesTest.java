package dev.peregrine.server.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTypesTest {
    private static String setAndGet(String name, String value) throws ConfigException {
        ServerConfig c = new ServerConfig();
        c.setFromCommand(c.directive(name), value);
        return c.formatted(c.directive(name));
    }

    private static String failure(String name, String value) {
        return assertThrows(ConfigException.class, () -> setAndGet(name, value)).getMessage();
    }

    @Test
    void memoryUnitsPrintAsBytes() throws ConfigException {
        assertEquals("1073741824", setAndGet("maxmemory", "1gb"));
        assertEquals("1000000", setAndGet("maxmemory", "1M"));
        assertEquals("1024", setAndGet("maxmemory", "1kB"));
        assertEquals("argument must be a memory value", failure("maxmemory", "abc"));
        assertEquals("argument must be a memory value", failure("maxmemory", "-1"));
        assertEquals("argument must be between 1048576 and 9223372036854775807 inclusive",
                     failure("proto-max-bulk-len", "10"));
    }

    @Test
    void integersAreStrictAndBounded() {
        assertEquals("argument couldn't be parsed into an integer", failure("hz", "abc"));
        assertEquals("argument couldn't be parsed into an integer", failure("hz", " 5"));
        assertEquals("argument must be between 1 and 4294967295 inclusive", failure("maxclients", "0"));
    }

    @Test
    void hzIsClamped() throws ConfigException {
        assertEquals("500", setAndGet("hz", "1000"));
        assertEquals("1", setAndGet("hz", "0"));
    }

    @Test
    void enumsAndFlags() throws ConfigException {
        assertEquals("argument(s) must be one of the following: debug, verbose, notice, warning, nothing",
                     failure("loglevel", "loud"));
        assertEquals("yes", setAndGet("oom-score-adj", "relative"));
        assertEquals("save now", setAndGet("shutdown-on-sigint", "now save"));
        assertEquals("shutdown options SAVE and NOSAVE can't be used simultaneously",
                     failure("shutdown-on-sigint", "save nosave"));
    }

    @Test
    void keyspaceEventsPrintLikeRedis() throws ConfigException {
        assertEquals("AKE", setAndGet("notify-keyspace-events", "KEA"));
        assertEquals("g$nKm", setAndGet("notify-keyspace-events", "Kgmn$"));
        assertEquals("", setAndGet("notify-keyspace-events", ""));
        // with every class on, Redis prints A and leaves n out, though n stays in effect
        assertEquals("AKEm", setAndGet("notify-keyspace-events", "KEAmn"));
        assertEquals("gxn", setAndGet("notify-keyspace-events", "nxg"));
        assertEquals("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
                     failure("notify-keyspace-events", "Kq"));
    }

    @Test
    void specialMultiArgumentDirectives() throws ConfigException {
        assertEquals("100 1 200 2", setAndGet("save", "100 1 200 2"));
        assertEquals("", setAndGet("save", ""));
        assertEquals("Invalid save parameters", failure("save", "100"));
        assertEquals("wrong number of arguments", failure("oom-score-adj-values", "1 2"));
        assertEquals("Invalid oom-score-adj-values, elements must be between -2000 and 2000.",
                     failure("oom-score-adj-values", "1 2 5000"));
        assertEquals("50.5 99", setAndGet("latency-tracking-info-percentiles", "50.5 99"));
        assertEquals("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
                     failure("latency-tracking-info-percentiles", "50 200"));
        assertEquals("5%", setAndGet("maxmemory-clients", "5%"));
        assertEquals("normal 1048576 2 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                     setAndGet("client-output-buffer-limit", "normal 1mb 2 3"));
        assertEquals("Error in hard, soft or soft_seconds setting in buffer limit configuration.",
                     failure("client-output-buffer-limit", "normal 1 2 x"));
    }

    @Test
    void unixSocketPermIsOctal() throws Exception {
        ServerConfig c = new ServerConfig();
        c.set("unixsocketperm", "700");
        assertEquals(0700L, c.longValue("unixsocketperm"));
        assertEquals("700", c.formatted(c.directive("unixsocketperm")));
    }

    @Test
    void dirIsAbsoluteAndMustExist() throws ConfigException {
        assertTrue(setAndGet("dir", "/tmp").endsWith("tmp"));
        assertEquals("No such file or directory", failure("dir", "/definitely/not/here"));
    }

    @Test
    void memoryRewriteUsesUnits() {
        assertEquals("1gb", Types.formatMemory(1L << 30));
        assertEquals("64mb", Types.formatMemory(64L << 20));
        assertEquals("4kb", Types.formatMemory(4096));
        assertEquals("1000", Types.formatMemory(1000));
    }

    @Test
    void globMatchesLikeRedis() {
        assertTrue(ConfigQuery.matches("max*", "maxmemory"));
        assertTrue(ConfigQuery.matches("MAX*", "maxmemory"));
        assertTrue(ConfigQuery.matches("h?", "hz"));
        assertTrue(ConfigQuery.matches("[a-h]z", "hz"));
        assertTrue(ConfigQuery.matches("[^a]z", "hz"));
        assertFalse(ConfigQuery.matches("[^h]z", "hz"));
        assertTrue(ConfigQuery.matches("*-ziplist-*", "hash-max-ziplist-entries"));
        assertFalse(ConfigQuery.matches("max", "maxmemory"));
        assertTrue(ConfigQuery.matches("a\\*", "a*"));
        assertFalse(ConfigQuery.matches("a\\*", "ab"));
    }
}
