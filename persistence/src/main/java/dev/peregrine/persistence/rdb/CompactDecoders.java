package dev.peregrine.persistence.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoders of the legacy compact encodings an RDB file may hold as one string blob: zipmap, ziplist, listpack and
 * intset. Each validates the whole structure deeply before trusting it (header sizes and counts, every entry's
 * bounds, ziplist previous-entry lengths, listpack back-lengths, end markers, intset order), as Redis does with
 * {@code sanitize-dump-payload yes}, and hands back plain elements; integers come back as decimal strings.
 *
 * <p>Errors name the file offset where the blob starts and the byte inside the (decompressed) blob. Stateless;
 * any thread.
 */
final class CompactDecoders {
    static final int ZIPLIST_HEADER = 10;
    static final int ZIPLIST_END = 0xFF;
    static final int ZIPLIST_BIGLEN = 254;
    static final int ZIPLIST_UNKNOWN_COUNT = 0xFFFF;
    static final int LISTPACK_HEADER = 6;
    static final int LISTPACK_EOF = 0xFF;
    static final int LISTPACK_UNKNOWN_COUNT = 0xFFFF;
    static final int INTSET_HEADER = 8;
    static final int ZIPMAP_BIGLEN = 254;
    static final int ZIPMAP_END = 0xFF;

    private CompactDecoders() {
    }

    private static RdbFormatException bad(long fileOffset, String what, int at, String reason) {
        return new RdbFormatException(fileOffset, what + " invalid at byte " + at + ": " + reason);
    }

    static long u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    static long le(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[p + i] & 0xffL) << (8 * i);
        }
        return v;
    }

    static long signExtend(long v, int bits) {
        int shift = 64 - bits;
        return v << shift >> shift;
    }

    static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- ziplist

    /**
     * A ziplist: {@code zlbytes u32, zltail u32, zllen u16, entries, 0xFF}; each entry is
     * {@code prevlen (1 byte, or 0xFE + u32), encoding, data}.
     */
    static List<byte[]> ziplist(byte[] z, long fileOffset, String what) throws RdbFormatException {
        int len = z.length;
        if (len < ZIPLIST_HEADER + 1) {
            throw bad(fileOffset, what, 0, "ziplist of " + len + " bytes is shorter than header and end marker");
        }
        if (u32(z, 0) != len) {
            throw bad(fileOffset, what, 0, "ziplist header says " + u32(z, 0) + " bytes, blob has " + len);
        }
        if ((z[len - 1] & 0xff) != ZIPLIST_END) {
            throw bad(fileOffset, what, len - 1, "ziplist does not end with 0xFF");
        }
        long tail = u32(z, 4);
        int headerCount = (int) u16(z, 8);
        List<byte[]> out = new ArrayList<>(Math.min(headerCount, 1024));
        int p = ZIPLIST_HEADER;
        long prevEntryLen = 0;
        int last = -1;
        while ((z[p] & 0xff) != ZIPLIST_END) {
            int start = p;
            int end = len - 1;
            long prevlen;
            if ((z[p] & 0xff) < ZIPLIST_BIGLEN) {
                prevlen = z[p] & 0xff;
                p += 1;
            } else {
                if (p + 5 > end) {
                    throw bad(fileOffset, what, p, "ziplist entry prevlen overruns the ziplist");
                }
                prevlen = u32(z, p + 1);
                p += 5;
            }
            if (prevlen != prevEntryLen) {
                throw bad(fileOffset, what, start, "ziplist entry prevlen " + prevlen
                                                   + " does not match previous entry length " + prevEntryLen);
            }
            if (p >= end) {
                throw bad(fileOffset, what, p, "ziplist entry encoding overruns the ziplist");
            }
            int enc = z[p] & 0xff;
            long dataLen;
            int encLen;
            byte[] value = null;
            long intValue = 0;
            switch (enc >>> 6) {
                case 0 -> {
                    encLen = 1;
                    dataLen = enc & 0x3f;
                }
                case 1 -> {
                    encLen = 2;
                    if (p + 2 > end) {
                        throw bad(fileOffset, what, p, "ziplist entry encoding overruns the ziplist");
                    }
                    dataLen = (enc & 0x3f) << 8 | (z[p + 1] & 0xff);
                }
                case 2 -> {
                    encLen = 5;
                    if (p + 5 > end) {
                        throw bad(fileOffset, what, p, "ziplist entry encoding overruns the ziplist");
                    }
                    dataLen = (z[p + 1] & 0xffL) << 24 | (z[p + 2] & 0xffL) << 16 | (z[p + 3] & 0xffL) << 8
                              | (z[p + 4] & 0xffL);
                }
                default -> {
                    encLen = 1;
                    if (enc == 0xC0) {
                        dataLen = 2;
                    } else if (enc == 0xD0) {
                        dataLen = 4;
                    } else if (enc == 0xE0) {
                        dataLen = 8;
                    } else if (enc == 0xF0) {
                        dataLen = 3;
                    } else if (enc == 0xFE) {
                        dataLen = 1;
                    } else if (enc >= 0xF1 && enc <= 0xFD) {
                        dataLen = 0;
                        intValue = (enc & 0x0f) - 1;
                    } else {
                        throw bad(fileOffset, what, p, String.format("unknown ziplist entry encoding 0x%02X", enc));
                    }
                }
            }
            long dataStart = (long) p + encLen;
            if (dataStart + dataLen > end) {
                throw bad(fileOffset, what, p, "ziplist entry of " + dataLen + " bytes overruns the ziplist");
            }
            int d = (int) dataStart;
            if (enc >>> 6 != 3) {
                value = new byte[(int) dataLen];
                System.arraycopy(z, d, value, 0, (int) dataLen);
            } else {
                if (dataLen > 0) {
                    intValue = signExtend(le(z, d, (int) dataLen), (int) dataLen * 8);
                }
                value = decimal(intValue);
            }
            out.add(value);
            p = (int) (dataStart + dataLen);
            prevEntryLen = p - start;
            last = start;
        }
        if (p != len - 1) {
            throw bad(fileOffset, what, p, "ziplist end marker found before the end of the blob");
        }
        long expectedTail = last < 0 ? ZIPLIST_HEADER : last;
        if (tail != expectedTail) {
            throw bad(fileOffset, what, 4, "ziplist tail offset " + tail + " is not the last entry's " + expectedTail);
        }
        if (headerCount != ZIPLIST_UNKNOWN_COUNT && headerCount != out.size()) {
            throw bad(fileOffset, what, 8, "ziplist header counts " + headerCount + " entries, found " + out.size());
        }
        return out;
    }

    // ---------------------------------------------------------------- listpack

    /** Bytes a listpack back-length takes for an entry of {@code l} bytes (encoding plus data). */
    static int backlenSize(long l) {
        if (l <= 127) {
            return 1;
        } else if (l < 16383) {
            return 2;
        } else if (l < 2097151) {
            return 3;
        } else if (l < 268435455) {
            return 4;
        }
        return 5;
    }

    /**
     * A listpack: {@code total u32, count u16, entries, 0xFF}; each entry is {@code encoding+data, backlen} where
     * the back-length is the entry's encoding+data size in 7-bit groups read from its last byte backwards.
     */
    static List<byte[]> listpack(byte[] z, long fileOffset, String what) throws RdbFormatException {
        int len = z.length;
        if (len < LISTPACK_HEADER + 1) {
            throw bad(fileOffset, what, 0, "listpack of " + len + " bytes is shorter than header and end marker");
        }
        if (u32(z, 0) != len) {
            throw bad(fileOffset, what, 0, "listpack header says " + u32(z, 0) + " bytes, blob has " + len);
        }
        if ((z[len - 1] & 0xff) != LISTPACK_EOF) {
            throw bad(fileOffset, what, len - 1, "listpack does not end with 0xFF");
        }
        int headerCount = (int) u16(z, 4);
        List<byte[]> out = new ArrayList<>(Math.min(headerCount, 1024));
        int end = len - 1;
        int p = LISTPACK_HEADER;
        while ((z[p] & 0xff) != LISTPACK_EOF) {
            int b = z[p] & 0xff;
            int encLen;
            long dataLen;
            boolean isInt = false;
            long v = 0;
            if (b < 0x80) {
                encLen = 1;
                dataLen = 0;
                isInt = true;
                v = b;
            } else if ((b & 0xC0) == 0x80) {
                encLen = 1;
                dataLen = b & 0x3f;
            } else if ((b & 0xE0) == 0xC0) {
                encLen = 2;
                dataLen = 0;
                isInt = true;
            } else if ((b & 0xF0) == 0xE0) {
                encLen = 2;
                if (p + 2 > end) {
                    throw bad(fileOffset, what, p, "listpack entry encoding overruns the listpack");
                }
                dataLen = (b & 0x0f) << 8 | (z[p + 1] & 0xff);
            } else {
                switch (b) {
                    case 0xF0 -> {
                        encLen = 5;
                        if (p + 5 > end) {
                            throw bad(fileOffset, what, p, "listpack entry encoding overruns the listpack");
                        }
                        dataLen = u32(z, p + 1);
                    }
                    case 0xF1 -> {
                        encLen = 1;
                        dataLen = 2;
                        isInt = true;
                    }
                    case 0xF2 -> {
                        encLen = 1;
                        dataLen = 3;
                        isInt = true;
                    }
                    case 0xF3 -> {
                        encLen = 1;
                        dataLen = 4;
                        isInt = true;
                    }
                    case 0xF4 -> {
                        encLen = 1;
                        dataLen = 8;
                        isInt = true;
                    }
                    default -> throw bad(fileOffset, what, p,
                                         String.format("unknown listpack entry encoding 0x%02X", b));
                }
            }
            long entryLen = encLen + dataLen;
            int backlen = backlenSize(entryLen);
            if (p + entryLen + backlen > end) {
                throw bad(fileOffset, what, p, "listpack entry of " + entryLen + " bytes overruns the listpack");
            }
            int q = (int) (p + entryLen + backlen - 1);
            long decoded = 0;
            int shift = 0;
            while (true) {
                decoded |= (long) (z[q] & 0x7f) << shift;
                if ((z[q] & 0x80) == 0) {
                    break;
                }
                shift += 7;
                q--;
                if (shift > 28 || q < p + entryLen) {
                    decoded = -1;
                    break;
                }
            }
            if (decoded != entryLen) {
                throw bad(fileOffset, what, (int) (p + entryLen), "listpack back-length " + decoded
                                                                   + " does not match entry length " + entryLen);
            }
            byte[] value;
            if (isInt) {
                if (encLen == 2) {
                    v = signExtend((b & 0x1f) << 8 | (z[p + 1] & 0xff), 13);
                } else if (dataLen > 0) {
                    v = signExtend(le(z, p + 1, (int) dataLen), (int) dataLen * 8);
                }
                value = decimal(v);
            } else {
                value = new byte[(int) dataLen];
                System.arraycopy(z, p + encLen, value, 0, (int) dataLen);
            }
            out.add(value);
            p = (int) (p + entryLen + backlen);
        }
        if (p != end) {
            throw bad(fileOffset, what, p, "listpack end marker found before the end of the blob");
        }
        if (headerCount != LISTPACK_UNKNOWN_COUNT && headerCount != out.size()) {
            throw bad(fileOffset, what, 4, "listpack header counts " + headerCount + " entries, found " + out.size());
        }
        return out;
    }

    // ---------------------------------------------------------------- intset

    /** An intset: {@code encoding u32 (2, 4 or 8), length u32, values} sorted ascending, distinct. */
    static List<byte[]> intset(byte[] z, long fileOffset, String what) throws RdbFormatException {
        if (z.length < INTSET_HEADER) {
            throw bad(fileOffset, what, 0, "intset of " + z.length + " bytes is shorter than its header");
        }
        long enc = u32(z, 0);
        if (enc != 2 && enc != 4 && enc != 8) {
            throw bad(fileOffset, what, 0, "intset encoding " + enc + " is not 2, 4 or 8");
        }
        long n = u32(z, 4);
        if (INTSET_HEADER + n * enc != z.length) {
            throw bad(fileOffset, what, 4, "intset of " + n + " " + enc + "-byte values does not fill a blob of "
                                           + z.length + " bytes");
        }
        List<byte[]> out = new ArrayList<>((int) n);
        long prev = 0;
        for (int i = 0; i < n; i++) {
            int p = INTSET_HEADER + i * (int) enc;
            long v = signExtend(le(z, p, (int) enc), (int) enc * 8);
            if (i > 0 && v <= prev) {
                throw bad(fileOffset, what, p, "intset values are not sorted and distinct");
            }
            prev = v;
            out.add(decimal(v));
        }
        return out;
    }

    // ---------------------------------------------------------------- zipmap

    /**
     * A zipmap: {@code count (1 byte, 254+ = unknown), {len field len free value free-bytes}*, 0xFF}; a length is
     * one byte below 254 or 254 followed by a u32.
     */
    static List<byte[]> zipmap(byte[] z, long fileOffset, String what) throws RdbFormatException {
        int len = z.length;
        if (len < 2) {
            throw bad(fileOffset, what, 0, "zipmap of " + len + " bytes is too short");
        }
        int headerCount = z[0] & 0xff;
        List<byte[]> out = new ArrayList<>();
        int p = 1;
        while (true) {
            if (p >= len) {
                throw bad(fileOffset, what, p, "zipmap has no end marker");
            }
            if ((z[p] & 0xff) == ZIPMAP_END) {
                break;
            }
            for (int part = 0; part < 2; part++) {
                if (p >= len) {
                    throw bad(fileOffset, what, p, "zipmap entry overruns the zipmap");
                }
                int b = z[p] & 0xff;
                long l;
                if (b < ZIPMAP_BIGLEN) {
                    l = b;
                    p += 1;
                } else if (b == ZIPMAP_BIGLEN) {
                    if (p + 5 > len) {
                        throw bad(fileOffset, what, p, "zipmap length overruns the zipmap");
                    }
                    l = u32(z, p + 1);
                    p += 5;
                } else {
                    throw bad(fileOffset, what, p, "zipmap ends between a field and its value");
                }
                int free = 0;
                if (part == 1) {
                    if (p >= len) {
                        throw bad(fileOffset, what, p, "zipmap free byte overruns the zipmap");
                    }
                    free = z[p] & 0xff;
                    p += 1;
                }
                if (p + l + free > len) {
                    throw bad(fileOffset, what, p, "zipmap entry of " + l + " bytes overruns the zipmap");
                }
                byte[] v = new byte[(int) l];
                System.arraycopy(z, p, v, 0, (int) l);
                out.add(v);
                p += (int) l + free;
            }
        }
        if (p != len - 1) {
            throw bad(fileOffset, what, p, "zipmap end marker found before the end of the blob");
        }
        if (headerCount < ZIPMAP_BIGLEN && headerCount != out.size() / 2) {
            throw bad(fileOffset, what, 0, "zipmap header counts " + headerCount + " pairs, found " + out.size() / 2);
        }
        return out;
    }
}
