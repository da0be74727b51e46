package dev.peregrine.replication;

import java.nio.charset.StandardCharsets;

/**
 * Encodes commands as RESP multi-bulk requests, the form of the replication stream ({@code *<n>\r\n$<len>\r\n
 * <arg>\r\n...}). Any thread.
 */
public final class RespCommands {
    private RespCommands() {
    }

    /** The encoded size of {@code argv}, in bytes. */
    public static int size(byte[][] argv) {
        int n = 1 + digits(argv.length) + 2;
        for (byte[] a : argv) {
            n += 1 + digits(a.length) + 2 + a.length + 2;
        }
        return n;
    }

    /** {@code argv} as one multi-bulk request. */
    public static byte[] encode(byte[][] argv) {
        byte[] out = new byte[size(argv)];
        int p = header(out, 0, '*', argv.length);
        for (byte[] a : argv) {
            p = header(out, p, '$', a.length);
            System.arraycopy(a, 0, out, p, a.length);
            p += a.length;
            out[p++] = '\r';
            out[p++] = '\n';
        }
        return out;
    }

    /** {@code words} (ASCII) as one multi-bulk request. */
    public static byte[] encode(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        return encode(argv);
    }

    private static int header(byte[] out, int p, char type, int n) {
        out[p++] = (byte) type;
        byte[] d = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(d, 0, out, p, d.length);
        p += d.length;
        out[p++] = '\r';
        out[p++] = '\n';
        return p;
    }

    private static int digits(int n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }
}
