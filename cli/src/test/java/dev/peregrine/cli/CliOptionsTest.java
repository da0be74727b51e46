package dev.peregrine.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command line parsing, without a server. */
class CliOptionsTest {
    private static CliOptions parse(boolean tty, String... args) throws CliOptions.UsageError {
        return CliOptions.parse(args, tty);
    }

    @Test
    void defaultOutputFollowsTheTerminal() throws Exception {
        assertEquals(CliOptions.Output.STANDARD, parse(true, "ping").output);
        assertEquals(CliOptions.Output.RAW, parse(false, "ping").output);
        assertEquals(CliOptions.Output.RAW, parse(true, "--raw", "ping").output);
        assertEquals(CliOptions.Output.STANDARD, parse(false, "--no-raw", "ping").output);
    }

    @Test
    void jsonSwitchesToResp3UnlessTwoIsGiven() throws Exception {
        assertEquals(3, parse(false, "--json", "ping").resp);
        assertEquals(2, parse(false, "-2", "--json", "ping").resp);
        assertEquals(0, parse(false, "ping").resp);
    }

    @Test
    void uri() throws Exception {
        CliOptions o = parse(false, "-u", "redis://al%40ice:p%3Ass@example.org:7000/5", "get", "k");
        assertEquals("al@ice", o.user);
        assertEquals("p:ss", o.auth);
        assertEquals("example.org", o.host);
        assertEquals(7000, o.port);
        assertEquals(5, o.db);
        assertEquals(List.of("get", "k"), o.command);
        CliOptions bare = parse(false, "-u", "redis://h");
        assertEquals("h", bare.host);
        assertEquals(6379, bare.port);
        assertNull(bare.auth);
        CliOptions secure = parse(false, "-u", "rediss://h:7001");
        assertTrue(secure.tls);
        assertEquals(7001, secure.port);
        assertThrows(CliOptions.UsageError.class, () -> parse(false, "-u", "http://h"));
    }

    @Test
    void valuesAndNumbersAsRedisCliReadsThem() throws Exception {
        CliOptions o = parse(false, "-r", "-1", "-i", "0.25", "-n", "12abc", "-d", ",", "-D", "", "x");
        assertEquals(-1, o.repeat);
        assertEquals(250_000, o.intervalMicros);
        assertEquals(12, o.db);
        assertArrayEquals(new byte[] {','}, o.bulkDelim);
        assertArrayEquals(new byte[0], o.replyDelim);
        assertArrayEquals("a\0b".getBytes(), parse(false, "--scan", "--quoted-pattern", "\"a\\x00b\"").pattern);
    }

    @Test
    void latencyDist() throws Exception {
        CliOptions o = parse(false, "--latency-dist", "--mono", "-i", "0.5");
        assertTrue(o.latencyDist && o.mono);
        assertEquals(500_000, o.intervalMicros);
    }

    @Test
    void errors() {
        CliOptions.UsageError e = assertThrows(CliOptions.UsageError.class, () -> parse(false, "-h"));
        assertEquals("Unrecognized option or bad number of args for: '-h'", e.getMessage());
        e = assertThrows(CliOptions.UsageError.class, () -> parse(false, "--ldb"));
        assertTrue(e.getMessage().contains("not supported yet"));
        e = assertThrows(CliOptions.UsageError.class, () -> parse(false, "--show-pushes", "maybe"));
        assertTrue(e.getMessage().contains("--show-pushes"));
    }
}
