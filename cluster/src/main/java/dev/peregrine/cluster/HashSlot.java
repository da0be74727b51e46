package dev.peregrine.cluster;

/**
 * The hash slot of a key, as Redis Cluster defines it: {@code CRC16(key) mod 16384}, where CRC16 is the XMODEM
 * variant (polynomial 0x1021, initial value 0, no reflection) and only the part between the first {@code {} and
 * the next {@code }} is hashed when that part is not empty (a hash tag), so related keys share a slot.
 *
 * <p>Stateless; any thread.
 */
public final class HashSlot {
    /** Number of hash slots in a cluster. */
    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private HashSlot() {
    }

    /** CRC16/XMODEM of {@code b[off, off+len)}. */
    public static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    /** The slot of {@code key}, 0 to 16383, honouring a non-empty {@code {hash tag}}. */
    public static int of(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close > open + 1) {
                        return crc16(key, open + 1, close - open - 1) & (SLOTS - 1);
                    }
                    break;
                }
            }
        }
        return crc16(key, 0, key.length) & (SLOTS - 1);
    }
}
