package dev.peregrine.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --tls} side by side with redis-cli against a redis-server with a TLS port, using a CA, server and client
 * certificates made with openssl for the test (PKCS#8 and PKCS#1 client keys).
 */
class TlsTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed");
        }
    }

    private void certificate(String name, String subject) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj",
                subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2");
    }

    private static void assertSame(RealRedis redis, String... args) throws Exception {
        assertSame(redis, new byte[0], args);
    }

    private static void assertSame(RealRedis redis, byte[] stdin, String... args) throws Exception {
        RealRedis.Result expected = redis.redisCli(stdin, args);
        RealRedis.Result actual = redis.ours(stdin, args);
        String what = String.join(" ", args);
        assertEquals(expected.toString(), actual.toString(), what);
        assertArrayEquals(expected.out(), actual.out(), what);
    }

    @Test
    void tlsConnections() throws Exception {
        boolean present = RealRedis.onPath("openssl");
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("openssl must be on PATH under CI=true");
        }
        Assumptions.assumeTrue(present, "openssl not on PATH");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=Peregrine test CA");
        certificate("server", "/CN=localhost");
        certificate("client", "/CN=client");
        openssl("rsa", "-in", "client.key", "-out", "client-pkcs1.key", "-traditional");
        int tlsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            tlsPort = s.getLocalPort();
        }
        String d = dir.toString() + "/";
        try (RealRedis redis = RealRedis.start("--tls-port", Integer.toString(tlsPort), "--tls-cert-file",
                d + "server.crt", "--tls-key-file", d + "server.key", "--tls-ca-cert-file", d + "ca.crt")) {
            String p = Integer.toString(tlsPort);
            assertSame(redis, "-p", p, "--tls", "--cacert", d + "ca.crt", "--cert", d + "client.crt", "--key",
                    d + "client.key", "set", "k", "tls-value");
            assertSame(redis, "-p", p, "--tls", "--cacert", d + "ca.crt", "--cert", d + "client.crt", "--key",
                    d + "client-pkcs1.key", "--no-raw", "get", "k");
            assertSame(redis, "-p", p, "--tls", "--insecure", "--cert", d + "client.crt", "--key", d + "client.key",
                    "-3", "--no-raw", "config", "get", "maxmemory-polic*");
            assertSame(redis, "-p", p, "--tls", "--sni", "localhost", "--cacert", d + "ca.crt", "--cert",
                    d + "client.crt", "--key", d + "client.key", "--csv", "lrange", "nokey", "0", "-1");
            // the server's chain is not trusted without the CA
            assertSame(redis, "-p", p, "--tls", "--cert", d + "client.crt", "--key", d + "client.key", "ping");
            assertSame(redis, "-u", "rediss://127.0.0.1:" + p, "--insecure", "--cert", d + "client.crt", "--key",
                    d + "client.key", "get", "k");
            // SCAN and the pipe mode (a reader thread and a writer on one TLS socket)
            assertSame(redis, "-p", p, "--tls", "--cacert", d + "ca.crt", "--cert", d + "client.crt", "--key",
                    d + "client.key", "--scan");
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                data.append("SET tls:").append(i).append(' ').append(i).append("\r\n");
            }
            data.append("NOSUCHCOMMAND\r\n");
            assertSame(redis, data.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII), "-p", p, "--tls",
                    "--cacert", d + "ca.crt", "--cert", d + "client.crt", "--key", d + "client.key", "--pipe");
        }
    }
}
