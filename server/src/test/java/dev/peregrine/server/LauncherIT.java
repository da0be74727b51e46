package dev.peregrine.server;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code bin/peregrine-server} as a process, as a user would. */
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("peregrine.root", ".."));

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process launch(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin/peregrine-server").toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Reads output lines until one contains {@code marker}; returns all lines read. */
    private static List<String> readUntil(Process p, String marker) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            lines.add(line);
            if (line.contains(marker)) {
                return lines;
            }
        }
        throw new AssertionError("no line with '" + marker + "' in output:\n" + String.join("\n", lines));
    }

    private static String ping(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            return TestServer.exchange(s, "PING\r\n", 7);
        }
    }

    @Test
    void startsWithCommandLineOptionsAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        Process p = launch("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                           "--appendonly", "no");
        try {
            List<String> lines = readUntil(p, "Ready to accept connections tcp");
            String log = String.join("\n", lines);
            assertTrue(log.contains("pid=" + p.pid()), "the launcher execs java, so the server has its pid:\n" + log);
            assertEquals("+PONG\r\n", ping(port));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void startsFromAConfigFileAndStopsOnShutdownCommand() throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("peregrine-launcher");
        Path conf = dir.resolve("peregrine.conf");
        Files.writeString(conf, "# test config\nport " + port + "\nbind 127.0.0.1\nsave \"\"\ndir " + dir + "\n");
        Process p = launch(conf.toString());
        try {
            String log = String.join("\n", readUntil(p, "Ready to accept connections tcp"));
            assertTrue(log.contains(conf.toString()), "logs the config file used:\n" + log);
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "server did not stop on SHUTDOWN");
            }
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badDirectiveStopsStartUpWithRedisStyleError() throws Exception {
        Process p = launch("--port", "0", "--no-such-directive", "yes");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(out.contains("*** FATAL CONFIG FILE ERROR"), out);
        assertTrue(out.contains(">>> 'no-such-directive \"yes\"'"), out);
        assertTrue(out.contains("Bad directive or wrong number of arguments"), out);
    }
}
