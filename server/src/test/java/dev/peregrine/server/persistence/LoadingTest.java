package dev.peregrine.server.persistence;

import dev.peregrine.server.PeregrineServer;
import dev.peregrine.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that connect while the dataset loads at start-up get {@code -LOADING} for ordinary commands, while INFO
 * answers and shows the loading progress fields; once loaded, everything is there.
 */
class LoadingTest {

    private static String call(Socket s, String line) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("closed");
            }
            sb.append((char) b);
        }
        String first = sb.toString().trim();
        if (first.startsWith("$") && !first.equals("$-1")) {
            byte[] body = in.readNBytes(Integer.parseInt(first.substring(1)) + 2);
            return new String(body, StandardCharsets.ISO_8859_1).trim();
        }
        return first;
    }

    @Test
    void clientsGetLoadingWhileTheAofIsReplayed(@TempDir Path dir) throws Exception {
        Path aofDir = dir.resolve("appendonlydir");
        Files.createDirectories(aofDir);
        Files.writeString(aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        int n = 600_000;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(
                aofDir.resolve("appendonly.aof.1.incr.aof")), 1 << 16)) {
            for (int i = 0; i < n; i++) {
                String k = "key:" + i;
                out.write(("*3\r\n$3\r\nSET\r\n$" + k.length() + "\r\n" + k + "\r\n$5\r\nvalue\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        ServerConfig config = new ServerConfig();
        config.set("port", Integer.toString(port));
        config.set("bind", "127.0.0.1");
        config.set("save", "");
        config.set("dir", dir.toString());
        config.set("appendonly", "yes");
        PeregrineServer server = new PeregrineServer(config);
        CompletableFuture<Integer> started = CompletableFuture.supplyAsync(() -> {
            try {
                return server.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Socket s = null;
            for (int i = 0; i < 2000 && s == null; i++) {
                try {
                    s = new Socket("127.0.0.1", port);
                } catch (IOException notYet) {
                    Thread.sleep(5);
                }
            }
            assertTrue(s != null, "the port is open while loading");
            s.setSoTimeout(30_000);
            try (Socket c = s) {
                String reply = call(c, "GET key:1");
                assertEquals("-LOADING Redis is loading the dataset in memory", reply);
                String info = call(c, "INFO persistence");
                assertTrue(info.contains("loading:1"), info);
                assertTrue(info.contains("loading_total_bytes:" + Files.size(aofDir.resolve("appendonly.aof.1.incr.aof"))),
                        info);
                assertTrue(info.contains("loading_loaded_perc:"), info);
                started.get();
                assertEquals("value", call(c, "GET key:1"));
                assertEquals(":" + n, call(c, "DBSIZE"));
                assertTrue(call(c, "INFO persistence").contains("loading:0"));
            }
        } finally {
            started.join();
            server.stop();
        }
    }
}
