package dev.peregrine.replication;

import java.security.SecureRandom;

/**
 * Replication ids: 40 lower-case hex characters naming one history of the dataset (PSYNC2). A primary makes a new
 * one when it starts or is promoted; {@link #NONE} stands for "no secondary id". Any thread.
 */
public final class ReplicationIds {
    /** The id of no history ({@code master_replid2} when there is no previous one). */
    public static final String NONE = "0000000000000000000000000000000000000000";
    /** Length of an id, in characters. */
    public static final int LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ReplicationIds() {
    }

    /** A fresh random id. */
    public static String random() {
        byte[] b = new byte[LENGTH / 2];
        RANDOM.nextBytes(b);
        char[] out = new char[LENGTH];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }
}
