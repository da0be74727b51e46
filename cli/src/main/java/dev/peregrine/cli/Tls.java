package dev.peregrine.cli;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * TLS for {@code --tls} / {@code rediss://}: trusts the PEM certificates of {@code --cacert} and
 * {@code --cacertdir} (the JDK's trusted roots when neither is given; anything with {@code --insecure}), presents
 * {@code --cert} with its {@code --key} (PEM, PKCS#8 or PKCS#1 RSA) when given, and sends {@code --sni}. Like
 * redis-cli (hiredis over OpenSSL), the certificate chain is verified but the host name is not.
 *
 * <p>Any thread; builds a new context per connection.
 */
final class Tls {
    private final CliOptions o;

    Tls(CliOptions o) {
        this.o = o;
    }

    /** Connects over TCP and completes the TLS handshake. */
    SSLSocket connect(String host, int port) throws IOException {
        SSLContext ctx;
        try {
            ctx = context();
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port));
        plain.setTcpNoDelay(true);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
        if (o.sni != null) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(o.sni)));
            s.setSSLParameters(p);
        }
        try {
            s.startHandshake();
        } catch (IOException e) {
            s.close();
            String m = String.valueOf(e.getMessage());
            // OpenSSL's words for an untrusted chain, which redis-cli users know
            throw new IOException("SSL_connect failed: " + (m.contains("PKIX") || m.contains("certification path")
                    ? "certificate verify failed" : m), e);
        }
        return s;
    }

    private SSLContext context() throws GeneralSecurityException, IOException {
        TrustManager[] trust;
        if (o.tlsInsecure) {
            trust = new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }};
        } else if (o.caCert != null || o.caCertDir != null) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            List<Certificate> cas = new ArrayList<>();
            if (o.caCert != null) {
                cas.addAll(certificates(Path.of(o.caCert)));
            }
            if (o.caCertDir != null) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(o.caCertDir))) {
                    for (Path p : dir) {
                        if (Files.isRegularFile(p)) {
                            try {
                                cas.addAll(certificates(p));
                            } catch (GeneralSecurityException | IOException notACertificate) {
                                // OpenSSL's hashed directories hold other files too
                            }
                        }
                    }
                }
            }
            int i = 0;
            for (Certificate c : cas) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            trust = tmf.getTrustManagers();
        } else {
            trust = null; // the JDK's default roots
        }
        KeyManagerFactory kmf = null;
        if (o.tlsCert != null || o.tlsKey != null) {
            if (o.tlsCert == null || o.tlsKey == null) {
                throw new GeneralSecurityException("--cert and --key must be given together");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", privateKey(Path.of(o.tlsKey)), new char[0],
                    certificates(Path.of(o.tlsCert)).toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
        return ctx;
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws GeneralSecurityException,
            IOException {
        byte[] bytes = Files.readAllBytes(pem);
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(bytes));
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pem);
        }
        return certs;
    }

    /** A PEM private key: PKCS#8 ({@code PRIVATE KEY}, RSA or EC) or PKCS#1 ({@code RSA PRIVATE KEY}). */
    static PrivateKey privateKey(Path pem) throws GeneralSecurityException, IOException {
        String text = Files.readString(pem);
        boolean pkcs1 = text.contains("-----BEGIN RSA PRIVATE KEY-----");
        String begin = pkcs1 ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN PRIVATE KEY-----";
        String end = pkcs1 ? "-----END RSA PRIVATE KEY-----" : "-----END PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < 0) {
            throw new GeneralSecurityException("unsupported key format in " + pem
                    + " (PEM PKCS#8 or PKCS#1 RSA keys are supported)");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        if (pkcs1) {
            der = pkcs1ToPkcs8(der);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm in " + pem);
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL parameters). */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                            0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }
}
