package dev.peregrine.server.command.connection;

import dev.peregrine.server.TestServer;
import dev.peregrine.server.exec.ServerInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.peregrine.server.command.connection.Resp.bulk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionCommandsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        startServer(c -> { });
    }

    static void startServer(java.util.function.Consumer<dev.peregrine.server.config.ServerConfig> tweak) {
        server = TestServer.start(tweak);
        // a write command for the CLIENT PAUSE WRITE tests (no data commands live in this family); registered
        // before any client connects
        server.server().engine().commands().register("testwrite", c -> c.reply().bulk(c.arg(1)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Resp connect() throws IOException {
        return new Resp(server.socket());
    }

    private static long id(Resp r) throws IOException {
        String reply = r.call("CLIENT", "ID");
        return Long.parseLong(reply.substring(1, reply.length() - 2));
    }

    /** The body of a bulk (RESP2) reply. */
    private static String body(String bulk) {
        return bulk.substring(bulk.indexOf("\r\n") + 2, bulk.length() - 2);
    }

    static String helloMap(String open, int proto, long id) {
        return open + "\r\n" + bulk("server") + bulk("redis") + bulk("version") + bulk(ServerInfo.REDIS_VERSION)
                + bulk("proto") + ":" + proto + "\r\n" + bulk("id") + ":" + id + "\r\n" + bulk("mode")
                + bulk("standalone") + bulk("role") + bulk("master") + bulk("modules") + "*0\r\n";
    }

    @Test
    void helloSwitchesProtocolAndDescribesServer() throws IOException {
        try (Resp r = connect()) {
            long id = id(r);
            assertEquals(helloMap("*14", 2, id), r.call("HELLO"));
            assertEquals(helloMap("%7", 3, id), r.call("HELLO", "3"));
            assertEquals("+PONG\r\n", r.call("PING"));
            assertEquals("_\r\n", r.call("CLIENT", "GETNAME"));
            assertEquals(helloMap("%7", 3, id), r.call("HELLO"));
            assertEquals(helloMap("*14", 2, id), r.call("hello", "2", "setname", "conn1"));
            assertEquals(bulk("conn1"), r.call("CLIENT", "GETNAME"));
            assertEquals("-NOPROTO unsupported protocol version\r\n", r.call("HELLO", "4"));
            assertEquals("-NOPROTO unsupported protocol version\r\n", r.call("HELLO", "1"));
            assertEquals("-ERR Protocol version is not an integer or out of range\r\n", r.call("HELLO", "x"));
            assertEquals("-ERR Syntax error in HELLO option 'foo'\r\n", r.call("HELLO", "3", "foo"));
            assertEquals("-ERR Syntax error in HELLO option 'SETNAME'\r\n", r.call("HELLO", "3", "SETNAME"));
            assertEquals("-ERR Syntax error in HELLO option 'auth'\r\n", r.call("HELLO", "3", "auth", "a"));
            assertEquals("-" + ClientCommands.BAD_NAME + "\r\n", r.call("HELLO", "3", "SETNAME", "a b"));
            // with no requirepass, HELLO AUTH default accepts any password
            assertEquals(helloMap("%7", 3, id), r.call("HELLO", "3", "AUTH", "default", "whatever"));
            assertEquals("-" + ConnectionCommands.WRONGPASS + "\r\n",
                    r.call("HELLO", "3", "AUTH", "someone", "whatever"));
        }
    }

    @Test
    void authWithoutRequirepass() throws IOException {
        try (Resp r = connect()) {
            assertEquals("-" + ConnectionCommands.AUTH_WITHOUT_PASSWORD + "\r\n", r.call("AUTH", "x"));
            assertEquals("-ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?\r\n", r.call("AUTH", "x"));
            assertEquals("+OK\r\n", r.call("AUTH", "default", "x"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    r.call("AUTH", "foo", "x"));
            assertEquals("-ERR syntax error\r\n", r.call("AUTH", "a", "b", "c"));
            assertEquals("-ERR wrong number of arguments for 'auth' command\r\n", r.call("AUTH"));
        }
    }

    @Test
    void authAndHelloWithRequirepass() throws IOException {
        try (TestServer s = TestServer.start(c -> c.set("requirepass", "secret"));
             Resp r = new Resp(s.socket())) {
            assertEquals("-NOAUTH Authentication required.\r\n", r.call("PING"));
            assertEquals("-" + ConnectionCommands.HELLO_NOAUTH + "\r\n", r.call("HELLO", "3"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    r.call("HELLO", "3", "AUTH", "default", "wrong"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    r.call("AUTH", "wrong"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                    r.call("AUTH", "other", "secret"));
            assertEquals("-NOAUTH Authentication required.\r\n", r.call("CLIENT", "ID"));
            String hello = r.call("HELLO", "3", "AUTH", "default", "secret", "SETNAME", "me");
            assertTrue(hello.startsWith("%7\r\n"), hello);
            assertEquals("+PONG\r\n", r.call("PING"));
            assertEquals(bulk("me"), r.call("CLIENT", "GETNAME"));
            assertEquals("+RESET\r\n", r.call("RESET"));
            assertEquals("-NOAUTH Authentication required.\r\n", r.call("PING"));
            assertEquals("+OK\r\n", r.call("AUTH", "secret"));
            assertEquals("+PONG\r\n", r.call("PING"));
            assertEquals("+RESET\r\n", r.call("RESET"));
            assertEquals("+OK\r\n", r.call("AUTH", "default", "secret"));
            assertEquals("+PONG\r\n", r.call("PING"));
        }
    }

    @Test
    void resetRestoresFreshState() throws IOException {
        try (Resp r = connect()) {
            long id = id(r);
            r.call("SELECT", "3");
            r.call("CLIENT", "SETNAME", "n");
            r.call("CLIENT", "NO-EVICT", "on");
            r.call("CLIENT", "NO-TOUCH", "on");
            r.call("HELLO", "3");
            assertTrue(body(r.call("CLIENT", "INFO")).contains(" flags=eT db=3 "));
            r.raw("CLIENT REPLY OFF\r\nPING\r\nRESET\r\n");
            assertEquals("+RESET\r\n", r.reply()); // RESET turns replies back on before answering
            String info = body(r.call("CLIENT", "INFO"));
            assertTrue(info.startsWith("id=" + id + " "), info);
            assertTrue(info.contains(" name= "), info);
            assertTrue(info.contains(" flags=N db=0 "), info);
            assertTrue(info.contains(" resp=2 "), info);
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "id=(\\d+) addr=127\\.0\\.0\\.1:(\\d+) laddr=127\\.0\\.0\\.1:(\\d+) fd=-?\\d+ name=(\\S*) age=\\d+ "
            + "idle=\\d+ flags=(\\S+) db=(\\d+) sub=0 psub=0 ssub=0 multi=-1 qbuf=\\d+ qbuf-free=\\d+ "
            + "argv-mem=\\d+ multi-mem=\\d+ rbs=\\d+ rbp=\\d+ obl=\\d+ oll=\\d+ omem=\\d+ tot-mem=\\d+ "
            + "events=r cmd=(\\S+) user=default redir=-1 resp=([23]) lib-name=(\\S*) lib-ver=(\\S*)\n");

    @Test
    void clientInfoAndListShapes() throws IOException {
        try (Resp a = connect(); Resp b = connect()) {
            long idA = id(a);
            long idB = id(b);
            assertEquals("+OK\r\n", b.call("CLIENT", "SETNAME", "bee"));
            assertEquals("+OK\r\n", b.call("CLIENT", "SETINFO", "LIB-NAME", "jlib"));
            assertEquals("+OK\r\n", b.call("CLIENT", "SETINFO", "lib-ver", "1.2"));
            String info = body(a.call("CLIENT", "INFO"));
            Matcher m = LINE.matcher(info);
            assertTrue(m.matches(), info);
            assertEquals(String.valueOf(idA), m.group(1));
            assertEquals(String.valueOf(a.socket().getLocalPort()), m.group(2));
            assertEquals(String.valueOf(server.port()), m.group(3));
            assertEquals("N", m.group(5));
            assertEquals("client|info", m.group(7));

            String list = body(a.call("CLIENT", "LIST", "ID", String.valueOf(idB), String.valueOf(idA), "999999"));
            String[] lines = list.split("(?<=\n)");
            assertEquals(2, lines.length, list);
            Matcher mb = LINE.matcher(lines[0]);
            assertTrue(mb.matches(), lines[0]);
            assertEquals(String.valueOf(idB), mb.group(1));
            assertEquals("bee", mb.group(4));
            assertEquals("client|setinfo", mb.group(7));
            assertEquals("jlib", mb.group(9));
            assertEquals("1.2", mb.group(10));
            assertTrue(LINE.matcher(lines[1]).matches(), lines[1]);

            String all = body(a.call("CLIENT", "LIST"));
            assertTrue(all.contains("id=" + idA + " ") && all.contains("id=" + idB + " "), all);
            for (String line : all.split("(?<=\n)")) {
                assertTrue(LINE.matcher(line).matches(), line);
            }
            assertEquals(all.split("\n").length, body(a.call("CLIENT", "LIST", "TYPE", "normal")).split("\n").length);
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "TYPE", "master"));
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "ID", "0"));
            assertEquals("-ERR Unknown client type 'foo'\r\n", a.call("CLIENT", "LIST", "TYPE", "foo"));
            assertEquals("-ERR Invalid client ID\r\n", a.call("CLIENT", "LIST", "ID", "x"));
            assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "LIST", "foo"));
            assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "LIST", "TYPE", "normal", "ID", "1"));

            // RESP3: verbatim strings
            a.call("HELLO", "3");
            String v = a.call("CLIENT", "INFO");
            assertTrue(v.startsWith("=") && v.contains("\r\ntxt:id=" + idA + " "), v);
        }
    }

    @Test
    void setNameAndSetInfoValidation() throws IOException {
        try (Resp r = connect()) {
            assertEquals("$-1\r\n", r.call("CLIENT", "GETNAME"));
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                    r.call("CLIENT", "SETNAME", "a b"));
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
                    r.call("CLIENT", "SETNAME", "a\nb"));
            assertEquals("+OK\r\n", r.call("CLIENT", "SETNAME", "x~!"));
            assertEquals(bulk("x~!"), r.call("CLIENT", "GETNAME"));
            assertEquals("+OK\r\n", r.call("CLIENT", "SETNAME", ""));
            assertEquals("$-1\r\n", r.call("CLIENT", "GETNAME"));
            assertEquals("-ERR Unrecognized option 'foo'\r\n", r.call("CLIENT", "SETINFO", "foo", "x"));
            assertEquals("-ERR lib-NAME cannot contain spaces, newlines or special characters.\r\n",
                    r.call("CLIENT", "SETINFO", "lib-NAME", "a b"));
            assertEquals("-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n",
                    r.call("CLIENT", "SETINFO", "lib-ver", "1\t2"));
            assertEquals("-ERR wrong number of arguments for 'client|setinfo' command\r\n",
                    r.call("CLIENT", "SETINFO", "lib-ver"));
            assertEquals("-ERR unknown subcommand 'nope'. Try CLIENT HELP.\r\n", r.call("CLIENT", "nope"));
            String help = r.call("CLIENT", "HELP");
            assertTrue(help.startsWith("*") && help.contains(
                    "\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), help);
        }
    }

    @Test
    void noEvictAndNoTouchFlags() throws IOException {
        try (Resp r = connect()) {
            assertEquals("+OK\r\n", r.call("CLIENT", "NO-EVICT", "ON"));
            assertTrue(body(r.call("CLIENT", "INFO")).contains(" flags=e "));
            assertEquals("+OK\r\n", r.call("CLIENT", "NO-TOUCH", "on"));
            assertTrue(body(r.call("CLIENT", "INFO")).contains(" flags=eT "));
            assertEquals("+OK\r\n", r.call("CLIENT", "NO-EVICT", "off"));
            assertEquals("+OK\r\n", r.call("CLIENT", "NO-TOUCH", "OFF"));
            assertTrue(body(r.call("CLIENT", "INFO")).contains(" flags=N "));
            assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "NO-EVICT", "maybe"));
            assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "NO-TOUCH", "maybe"));
        }
    }

    @Test
    void replyModes() throws IOException {
        try (Resp r = connect()) {
            r.raw("CLIENT REPLY SKIP\r\nPING a\r\nPING b\r\n");
            assertEquals(bulk("b"), r.reply());
            r.raw("CLIENT REPLY OFF\r\nPING c\r\nCLIENT REPLY SKIP\r\nPING d\r\nNOSUCHCMD\r\nCLIENT REPLY ON\r\nPING e\r\n");
            assertEquals("+OK\r\n", r.reply());
            assertEquals(bulk("e"), r.reply());
            // SKIP then a bad command: its error is dropped too; the SKIP reaches only one command
            r.raw("CLIENT REPLY SKIP\r\nNOSUCHCMD\r\nPING f\r\n");
            assertEquals(bulk("f"), r.reply());
            // split across writes: SKIP applies to the next command even when it comes in a later read
            r.raw("CLIENT REPLY SKIP\r\nRESET\r\nPING x\r\n");
            assertEquals(bulk("x"), r.reply()); // the skipped command's reply goes, even RESET's
            r.raw("CLIENT REPLY SKIP\r\n");
            r.raw("PING g\r\n");
            r.raw("PING h\r\n");
            assertEquals(bulk("h"), r.reply());
            assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "REPLY", "maybe"));
        }
    }

    @Test
    void killByAddressAndFilters() throws IOException {
        try (Resp a = connect(); Resp b = connect(); Resp c = connect()) {
            long idB = id(b);
            id(c);
            String addrB = "127.0.0.1:" + b.socket().getLocalPort();
            assertEquals("-ERR No such client\r\n", a.call("CLIENT", "KILL", "1.2.3.4:5"));
            assertEquals("+OK\r\n", a.call("CLIENT", "KILL", addrB));
            assertTrue(b.closedByPeer());
            assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "ID", String.valueOf(idB)));
            assertEquals(":0\r\n", a.call("CLIENT", "KILL", "ID", String.valueOf(idB)));
            assertEquals(":0\r\n", a.call("CLIENT", "KILL", "ADDR", "1.1.1.1:1"));
            assertEquals(":0\r\n", a.call("CLIENT", "KILL", "LADDR", "1.1.1.1:1", "ID", "1"));
            assertEquals("-ERR client-id should be greater than 0\r\n", a.call("CLIENT", "KILL", "ID", "0"));
            assertEquals("-ERR client-id should be greater than 0\r\n", a.call("CLIENT", "KILL", "ID", "x"));
            assertEquals("-ERR Unknown client type 'foo'\r\n", a.call("CLIENT", "KILL", "TYPE", "foo"));
            assertEquals("-ERR No such user 'foo'\r\n", a.call("CLIENT", "KILL", "USER", "foo"));
            assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "KILL", "SKIPME", "x"));
            assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "KILL", "ID", "1", "SKIPME"));
            assertEquals("-ERR maxage is not an integer or out of range\r\n",
                    a.call("CLIENT", "KILL", "MAXAGE", "x"));
            assertEquals(":0\r\n", a.call("CLIENT", "KILL", "MAXAGE", "100000", "SKIPME", "no"));
            assertEquals("-ERR wrong number of arguments for 'client|kill' command\r\n", a.call("CLIENT", "KILL"));
            // LADDR and TYPE: c and a match; SKIPME (default yes) spares a
            String laddr = "127.0.0.1:" + server.port();
            String killed = a.call("CLIENT", "KILL", "LADDR", laddr, "TYPE", "normal", "USER", "default");
            assertTrue(Integer.parseInt(killed.substring(1, killed.length() - 2)) >= 1, killed);
            assertTrue(c.closedByPeer());
            assertEquals("+PONG\r\n", a.call("PING"));
            // killing oneself: the reply arrives, then the connection closes
            assertEquals(":1\r\n", a.call("CLIENT", "KILL", "ID", String.valueOf(id(a)), "SKIPME", "no"));
            assertTrue(a.closedByPeer());
        }
    }

    @Test
    void killOldFormClosesSelfAfterReply() throws IOException {
        try (Resp a = connect()) {
            assertEquals("+OK\r\n", a.call("CLIENT", "KILL", "127.0.0.1:" + a.socket().getLocalPort()));
            assertTrue(a.closedByPeer());
        }
    }

    /** Polls CLIENT LIST (bounded) until the client's flags show it postponed by the pause. */
    private static void awaitPostponed(Resp observer, long id) throws IOException, InterruptedException {
        for (int i = 0; i < 1000; i++) {
            String line = body(observer.call("CLIENT", "LIST", "ID", String.valueOf(id)));
            if (line.contains(" flags=b ")) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("client " + id + " never postponed");
    }

    @Test
    void pauseWriteHoldsWritesInOrderUntilUnpause() throws Exception {
        try (Resp a = connect(); Resp b = connect()) {
            long idB = id(b);
            try {
                assertEquals("+OK\r\n", a.call("CLIENT", "PAUSE", "100000", "WRITE"));
                b.raw("ECHO r1\r\nTESTWRITE w1\r\nECHO r2\r\n");
                assertEquals(bulk("r1"), b.reply()); // reads still run
                awaitPostponed(a, idB);
                assertEquals(0, b.socket().getInputStream().available());
                b.raw("PING\r\n"); // queued behind the postponed write, though PING is no write
                assertEquals("+PONG\r\n", a.call("PING"));
                assertEquals("+OK\r\n", a.call("CLIENT", "UNPAUSE"));
                assertEquals(bulk("w1"), b.reply());
                assertEquals(bulk("r2"), b.reply());
                assertEquals("+PONG\r\n", b.reply());
                assertTrue(body(a.call("CLIENT", "LIST", "ID", String.valueOf(idB))).contains(" flags=N "));
            } finally {
                a.call("CLIENT", "UNPAUSE");
            }
        }
    }

    @Test
    void pauseAllEndsAtTimeout() throws Exception {
        try (Resp a = connect(); Resp b = connect()) {
            long idB = id(b);
            assertEquals("+OK\r\n", a.call("CLIENT", "PAUSE", "300"));
            b.raw("PING x\r\n");
            b.raw("ECHO y\r\n");
            // the pause ends by itself; the cron runs the postponed requests in order
            assertEquals(bulk("x"), b.reply());
            assertEquals(bulk("y"), b.reply());
            assertEquals("+PONG\r\n", a.call("PING"));
            assertFalse(body(a.call("CLIENT", "LIST", "ID", String.valueOf(idB))).contains(" flags=b "));
        }
    }

    @Test
    void pauseArgumentErrors() throws IOException {
        try (Resp r = connect()) {
            assertEquals("-ERR timeout is not an integer or out of range\r\n", r.call("CLIENT", "PAUSE", "abc"));
            assertEquals("-ERR timeout is negative\r\n", r.call("CLIENT", "PAUSE", "-1"));
            assertEquals("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", r.call("CLIENT", "PAUSE", "10", "foo"));
            assertEquals("-ERR syntax error\r\n", r.call("CLIENT", "PAUSE", "10", "WRITE", "x"));
            assertEquals("+OK\r\n", r.call("CLIENT", "PAUSE", "0", "WRITE"));
            assertEquals("+OK\r\n", r.call("CLIENT", "UNPAUSE"));
        }
    }

    @Test
    void maxClientsRejectsTheNextConnection() throws IOException {
        try (TestServer s = TestServer.start(c -> c.set("maxclients", "2"));
             Resp a = new Resp(s.socket()); Resp b = new Resp(s.socket())) {
            assertEquals("+PONG\r\n", a.call("PING"));
            assertEquals("+PONG\r\n", b.call("PING"));
            try (Resp c = new Resp(s.socket())) {
                assertEquals("-ERR max number of clients reached\r\n", c.reply());
                assertTrue(c.closedByPeer());
            }
        }
    }
}
