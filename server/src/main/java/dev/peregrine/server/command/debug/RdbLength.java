package dev.peregrine.server.command.debug;

import dev.peregrine.storage.Numbers;

/**
 * The length in bytes of a string value in Redis's RDB encoding, for DEBUG OBJECT's {@code serializedlength}:
 * canonical integers in 32-bit range take the compact integer forms; with {@code rdbcompression} on, strings over
 * 20 bytes are LZF-compressed when that saves at least 4 bytes; everything else is a length prefix plus the bytes.
 * The compressor is modelled on liblzf (hash log 16, "very fast" mode) with a zeroed hash table, so its output
 * length equals Redis's. Stateless; any thread.
 */
final class RdbLength {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private RdbLength() {
    }

    /** Bytes of an RDB length prefix for {@code len}. */
    static int lengthPrefix(long len) {
        if (len < (1 << 6)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        if (len <= 0xffffffffL) {
            return 5;
        }
        return 9;
    }

    /** RDB length of the string {@code b[off, off+len)}. */
    static long string(byte[] b, int off, int len, boolean compression) {
        if (len <= 11) {
            long v = Numbers.parseLong(b, off, len);
            if (v != Numbers.NOT_A_LONG && Long.toString(v).length() == len) {
                if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    return 2;
                }
                if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    return 3;
                }
                if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    return 5;
                }
            }
        }
        if (compression && len > 20) {
            int compressed = lzfLength(b, off, len, len - 4);
            if (compressed > 0) {
                return 1 + lengthPrefix(compressed) + lengthPrefix(len) + compressed;
            }
        }
        return lengthPrefix(len) + len;
    }

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    private static int at(byte[] b, int off, int i) {
        return b[off + i] & 0xff;
    }

    /**
     * The length of the LZF compression of {@code in[off, off+len)}, or 0 when it does not fit in {@code outLen}
     * bytes. Only positions are tracked; no output is produced.
     */
    static int lzfLength(byte[] in, int off, int len, int outLen) {
        if (len == 0 || outLen <= 0) {
            return 0;
        }
        int[] table = new int[HSIZE];
        int ip = 0;
        int op = 1; // the first literal run's length byte
        int lit = 0;
        int hval = len >= 2 ? (at(in, off, 0) << 8) | at(in, off, 1) : 0;
        while (ip < len - 2) {
            hval = (hval << 8) | at(in, off, ip + 2);
            int slot = idx(hval);
            int ref = table[slot];
            table[slot] = ip;
            int distance = ip - ref - 1;
            if (distance >= 0 && distance < MAX_OFF && ref > 0
                    && in[off + ref + 2] == in[off + ip + 2]
                    && in[off + ref] == in[off + ip] && in[off + ref + 1] == in[off + ip + 1]) {
                int n = 2;
                int maxlen = Math.min(len - ip - n, MAX_REF);
                if (op + 3 + 1 >= outLen && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLen) {
                    return 0;
                }
                op -= lit == 0 ? 1 : 0; // drop an empty literal run
                boolean stopped = false;
                if (maxlen > 16) {
                    for (int k = 0; k < 16; k++) {
                        n++;
                        if (in[off + ref + n] != in[off + ip + n]) {
                            stopped = true;
                            break;
                        }
                    }
                }
                if (!stopped) {
                    do {
                        n++;
                    } while (n < maxlen && in[off + ref + n] == in[off + ip + n]);
                }
                n -= 2;
                ip++;
                op += n < 7 ? 1 : 2; // back-reference header
                op++; // low byte of the offset
                lit = 0;
                op++; // next literal run's length byte
                ip += n + 1;
                if (ip >= len - 2) {
                    break;
                }
                ip -= 2;
                hval = (at(in, off, ip) << 8) | at(in, off, ip + 1);
                hval = (hval << 8) | at(in, off, ip + 2);
                table[idx(hval)] = ip;
                ip++;
                hval = (hval << 8) | at(in, off, ip + 2);
                table[idx(hval)] = ip;
                ip++;
            } else {
                if (op >= outLen) {
                    return 0;
                }
                lit++;
                op++;
                ip++;
                if (lit == MAX_LIT) {
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLen) {
            return 0;
        }
        while (ip < len) {
            lit++;
            op++;
            ip++;
            if (lit == MAX_LIT) {
                lit = 0;
                op++;
            }
        }
        op -= lit == 0 ? 1 : 0;
        return op;
    }
}
