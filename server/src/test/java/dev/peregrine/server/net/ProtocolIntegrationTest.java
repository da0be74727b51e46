package dev.peregrine.server.net;

import dev.peregrine.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request path over raw sockets: framing across reads, pipelining, inline requests, protocol errors, limits. */
class ProtocolIntegrationTest {
    /** Marks, in a transcript, that the server closed the connection. */
    private static final String EOF = "<EOF>";
    static TestServer server;
    /** Settings every server of this class starts with (the dispatch mode). */
    static java.util.function.Consumer<dev.peregrine.server.config.ServerConfig> mode = c -> { };

    @BeforeAll
    static void start() {
        mode = c -> { };
        server = TestServer.start(mode);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Sends {@code request} in one write, then reads until the server closes the connection, or until no byte came
     * for {@code quietMs} (a server that keeps the connection open). Returns what came, plus {@link #EOF} if closed.
     */
    static String transcript(int port, String request, int quietMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedWhileWriting) {
                // the server may close before taking all of a large request; what it answered still counts
            }
            return readAll(s, quietMs);
        }
    }

    private static String readAll(Socket s, int quietMs) throws IOException {
        s.setSoTimeout(quietMs);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException quiet) {
                return got.toString(StandardCharsets.ISO_8859_1);
            } catch (IOException reset) {
                return got.toString(StandardCharsets.ISO_8859_1) + EOF;
            }
            if (n < 0) {
                return got.toString(StandardCharsets.ISO_8859_1) + EOF;
            }
            got.write(buf, 0, n);
        }
    }

    /** Protocol-error cases and what Redis 7.2 answers (then closes): checked here and against a real server. */
    static final Map<String, String> PROTOCOL_ERRORS = new LinkedHashMap<>();

    static {
        PROTOCOL_ERRORS.put("PING\r\n*abc\r\nPING\r\n", "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
        PROTOCOL_ERRORS.put("PING\r\n*2147483648\r\n", "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
        PROTOCOL_ERRORS.put("*\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        PROTOCOL_ERRORS.put("*01\r\n$4\r\nPING\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
        PROTOCOL_ERRORS.put("ECHO a\r\n*1\r\n$abc\r\n", "$1\r\na\r\n-ERR Protocol error: invalid bulk length\r\n");
        PROTOCOL_ERRORS.put("*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        PROTOCOL_ERRORS.put("*1\r\n$+4\r\nPING\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        PROTOCOL_ERRORS.put("*1\r\n$600000000\r\n", "-ERR Protocol error: invalid bulk length\r\n");
        PROTOCOL_ERRORS.put("*2\r\n$4\r\nECHO\r\n+x\r\nPING\r\n", "-ERR Protocol error: expected '$', got '+'\r\n");
        PROTOCOL_ERRORS.put("PING\r\nECHO \"a\r\nPING\r\n", "+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n");
        PROTOCOL_ERRORS.put("ECHO 'a'b\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n");
        PROTOCOL_ERRORS.put("PING\r\n" + "x".repeat(70_000), "+PONG\r\n-ERR Protocol error: too big inline request\r\n");
        PROTOCOL_ERRORS.put("*" + "1".repeat(70_000), "-ERR Protocol error: too big mbulk count string\r\n");
        PROTOCOL_ERRORS.put("*1\r\n$" + "1".repeat(70_000), "-ERR Protocol error: too big bulk count string\r\n");
        // the reply to a bad request's predecessors arrives even when they are many
        PROTOCOL_ERRORS.put("PING\r\n".repeat(100) + "*1\r\n$x\r\n",
                "+PONG\r\n".repeat(100) + "-ERR Protocol error: invalid bulk length\r\n");
    }

    @Test
    void protocolErrorsAnswerThenClose() throws IOException {
        for (Map.Entry<String, String> e : PROTOCOL_ERRORS.entrySet()) {
            assertEquals(e.getValue() + EOF, transcript(server.port(), e.getKey(), 10_000), shorten(e.getKey()));
        }
    }

    @Test
    void protocolErrorsMatchRealRedisByteForByte() throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            for (String request : PROTOCOL_ERRORS.keySet()) {
                assertEquals(transcript(redis.port(), request, 10_000), transcript(server.port(), request, 10_000),
                        shorten(request));
            }
            // requests that keep the connection open: compare what comes within a quiet period
            for (String request : new String[] {
                "*-5\r\nPING\r\n*0\r\nPING\r\n\r\n\n  \r\nPING\n",
                "*1\r\n$4\r\nPINGxxPING\r\n",
                "ECHO \"a\\x41\\n\" 'b\\'c'\r\nECHO   x  \t y\r\n",
                "NOSUCH a b\r\nPING\r\n",
                "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
            }) {
                assertEquals(transcript(redis.port(), request, 300), transcript(server.port(), request, 300),
                        shorten(request));
            }
        }
    }

    private static String shorten(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "...(" + s.length() + " bytes)" : s;
        return t.replace("\r", "\\r").replace("\n", "\\n");
    }

    @Test
    void framesSplitByteByByte() throws IOException {
        String request = "*2\r\n$4\r\nECHO\r\n$5\r\nhe\r\no\r\nPING\r\n*1\r\n$4\r\nPING\r\nECHO \"x y\"\r\n";
        String expected = "$5\r\nhe\r\no\r\n+PONG\r\n+PONG\r\n$3\r\nx y\r\n";
        try (Socket s = server.socket()) {
            OutputStream out = s.getOutputStream();
            for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
            }
            assertEquals(expected, TestServer.read(s, expected.length()));
        }
    }

    @Test
    void pipelineOfTenThousandInOneWrite() throws IOException {
        StringBuilder request = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            request.append("PING\r\n");
            expected.append("+PONG\r\n");
        }
        for (int i = 0; i < 10_000; i++) {
            String v = Integer.toString(i);
            request.append("*2\r\n$4\r\nECHO\r\n$").append(v.length()).append("\r\n").append(v).append("\r\n");
            expected.append('$').append(v.length()).append("\r\n").append(v).append("\r\n");
        }
        try (Socket s = server.socket()) {
            assertEquals(expected.toString(), TestServer.exchange(s, request.toString(), expected.length()));
        }
    }

    @Test
    void inlineCommands() throws IOException {
        try (Socket s = server.socket()) {
            String expected = "$3\r\na b\r\n$3\r\nc'd\r\n$2\r\nA\n\r\n+PONG\r\n+PONG\r\n";
            assertEquals(expected, TestServer.exchange(s,
                    "ECHO \"a b\"\r\nECHO 'c\\'d'\r\necho \"\\x41\\n\"\n\r\n   \r\nPING\nping\r\n", expected.length()));
        }
    }

    @Test
    void resp3AfterHello() throws IOException {
        try (Socket s = server.socket()) {
            String hello = TestServer.exchange(s, "HELLO 3\r\n", 4);
            assertEquals("%7\r\n", hello);
            // drain the rest of the map: 6 more pairs, the id varies
            String rest = readAll(s, 300);
            assertTrue(rest.startsWith("$6\r\nserver\r\n$5\r\nredis\r\n") && rest.endsWith("$7\r\nmodules\r\n*0\r\n"),
                    rest);
            String expected = "+PONG\r\n_\r\n$2\r\nhi\r\n";
            assertEquals(expected, TestServer.exchange(s, "PING\r\nCLIENT GETNAME\r\nPING hi\r\n", expected.length()));
        }
    }

    @Test
    void queryBufferLimitClosesWithoutReply() throws Exception {
        String request = "PING\r\n*2\r\n$4\r\nECHO\r\n$2000000\r\n" + "x".repeat(1_200_000);
        try (TestServer small = TestServer.start(mode.andThen(c -> c.set("client-query-buffer-limit", "1mb")))) {
            String got = transcript(small.port(), request, 10_000);
            assertEquals("+PONG\r\n" + EOF, got);
            try (RealRedis redis = RealRedis.start("--client-query-buffer-limit", "1mb")) {
                assertEquals(transcript(redis.port(), request, 10_000), got);
            }
        }
    }

    @Test
    void unauthenticatedLimitsWithRequirepass() throws Exception {
        String[] requests = {
            "*11\r\n",
            "PING\r\n*1\r\n$16385\r\n",
            // at both limits: 10 arguments, one of 16384 bytes, reach the command (which wants AUTH)
            "*10\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$7\r\nSETNAME\r\n$16384\r\n" + "x".repeat(16384) + "\r\n"
                + "$7\r\nSETNAME\r\n$1\r\na\r\n".repeat(3),
        };
        String[] expected = {
            "-ERR Protocol error: unauthenticated multibulk length\r\n" + EOF,
            "-NOAUTH Authentication required.\r\n-ERR Protocol error: unauthenticated bulk length\r\n" + EOF,
            "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH "
                + "<user> <pass> option can be used to authenticate the client and select the RESP protocol "
                + "version at the same time\r\n",
        };
        try (TestServer locked = TestServer.start(mode.andThen(c -> c.set("requirepass", "pw")))) {
            for (int i = 0; i < requests.length; i++) {
                assertEquals(expected[i], transcript(locked.port(), requests[i], 500), "case " + i);
            }
            // once authenticated, the same lengths pass
            String big = "AUTH pw\r\n*2\r\n$4\r\nECHO\r\n$16385\r\n" + "y".repeat(16385) + "\r\n";
            String got = transcript(locked.port(), big, 500);
            assertTrue(got.equals("+OK\r\n$16385\r\n" + "y".repeat(16385) + "\r\n"), shorten(got));
            // the same in a pipeline split into pieces, and with HELLO AUTH lifting the limits
            String hello = "HELLO 2 AUTH default pw\r\n*11\r\n$4\r\nECHO\r\n$1\r\nz\r\n"
                    + "$1\r\nz\r\n".repeat(9);
            String reply = transcript(locked.port(), hello, 500);
            assertTrue(reply.startsWith("*14\r\n") && reply.endsWith(
                    "-ERR wrong number of arguments for 'echo' command\r\n"), shorten(reply));
            try (RealRedis redis = RealRedis.start("--requirepass", "pw")) {
                // case 2 is left out: Redis 7.0's HELLO NOAUTH text lacks the "<proto>" that 7.2 has
                for (int i = 0; i < 2; i++) {
                    assertEquals(transcript(redis.port(), requests[i], 500), transcript(locked.port(), requests[i], 500),
                            "case " + i);
                }
                assertEquals(transcript(redis.port(), big, 500), got, "AUTH then a large bulk");
            }
        }
    }
}
