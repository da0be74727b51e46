package dev.peregrine.server.command.sort;

import dev.peregrine.server.RawResp;
import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SORT / SORT_RO replies as exact RESP2 and RESP3 bytes (more cases, against redis-server, in diff/sort.txt). */
class SortCommandsTest {
    @Test
    void repliesAndStore() throws Exception {
        try (TestServer server = TestServer.start(); RawResp r = new RawResp(server.port())) {
            r.call("RPUSH", "l", "3", "1", "2", "10");
            assertEquals("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n", r.call("SORT", "l"));
            assertEquals("*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n", r.call("SORT", "l", "ALPHA"));
            assertEquals("*2\r\n$1\r\n2\r\n$1\r\n1\r\n", r.call("SORT", "l", "DESC", "LIMIT", "2", "2"));
            assertEquals("*4\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n",
                    r.call("SORT", "l", "BY", "nosort", "DESC"));
            r.call("MSET", "w_1", "9", "w_2", "8");
            r.call("HSET", "h_3", "f", "x");
            assertEquals("*4\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n", r.call("SORT", "l", "BY", "w_*"));
            assertEquals("*8\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n$-1\r\n$1\r\n3\r\n$1\r\nx\r\n$2\r\n10\r\n$-1\r\n",
                    r.call("SORT", "l", "GET", "#", "GET", "h_*->f"));
            assertEquals(":4\r\n", r.call("SORT", "l", "GET", "h_*->f", "STORE", "dst"));
            assertEquals("*4\r\n$0\r\n\r\n$0\r\n\r\n$1\r\nx\r\n$0\r\n\r\n", r.call("LRANGE", "dst", "0", "-1"));
            assertEquals(":0\r\n", r.call("SORT", "nokey", "STORE", "dst"));
            assertEquals(":0\r\n", r.call("EXISTS", "dst"));
            assertEquals("-ERR syntax error\r\n", r.call("SORT_RO", "l", "STORE", "dst"));
            r.call("RPUSH", "bad", "1", "x");
            assertEquals("-ERR One or more scores can't be converted into double\r\n", r.call("SORT", "bad"));
            r.call("SET", "s", "v");
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    r.call("SORT", "s"));
            assertEquals("-ERR syntax error\r\n", r.call("SORT", "s", "FOO"));
            r.call("HELLO", "3");
            assertEquals("*2\r\n_\r\n$1\r\n1\r\n", r.call("SORT", "l", "LIMIT", "0", "1", "GET", "h_*->f", "GET", "#"));
        }
    }
}
