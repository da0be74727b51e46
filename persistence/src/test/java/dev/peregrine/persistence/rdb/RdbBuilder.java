package dev.peregrine.persistence.rdb;

import dev.peregrine.persistence.Crc64;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test-only writer of hand-made RDB files and compact blobs, to reach encodings a Redis 7.0 never writes. */
final class RdbBuilder {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    RdbBuilder(int version) {
        raw(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
    }

    RdbBuilder raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    RdbBuilder u8(int b) {
        out.write(b);
        return this;
    }

    RdbBuilder le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    RdbBuilder len(long n) {
        if (Long.compareUnsigned(n, 64) < 0) {
            u8((int) n);
        } else if (Long.compareUnsigned(n, 16384) < 0) {
            u8((int) (0x40 | n >>> 8)).u8((int) n);
        } else if (Long.compareUnsigned(n, 0xFFFFFFFFL) <= 0) {
            u8(0x80);
            for (int i = 3; i >= 0; i--) {
                u8((int) (n >>> (8 * i)));
            }
        } else {
            u8(0x81);
            for (int i = 7; i >= 0; i--) {
                u8((int) (n >>> (8 * i)));
            }
        }
        return this;
    }

    RdbBuilder str(byte[] s) {
        return len(s.length).raw(s);
    }

    RdbBuilder str(String s) {
        return str(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A string as LZF with literal runs only (valid LZF, no back-references). */
    RdbBuilder lzfLiteral(byte[] s) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        for (int i = 0; i < s.length; i += 32) {
            int n = Math.min(32, s.length - i);
            c.write(n - 1);
            c.write(s, i, n);
        }
        byte[] cb = c.toByteArray();
        return u8(0xC3).len(cb.length).len(s.length).raw(cb);
    }

    RdbBuilder key(int type, String key) {
        return u8(type).str(key);
    }

    /** EOF opcode and the CRC-64 of everything before it. */
    byte[] end() {
        u8(RdbDescriptor.OPCODE_EOF);
        byte[] body = out.toByteArray();
        le(Crc64.of(body), 8);
        return out.toByteArray();
    }

    /** EOF opcode, no checksum (versions below 5). */
    byte[] endNoChecksum() {
        u8(RdbDescriptor.OPCODE_EOF);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- listpack

    /** One listpack entry: Long values use the smallest integer encoding, byte[] the smallest string one. */
    static byte[] lpEntry(Object v) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        if (v instanceof Long l) {
            long x = l;
            if (x >= 0 && x <= 127) {
                e.write((int) x);
            } else if (x >= -4096 && x <= 4095) {
                long u = x & 0x1fff;
                e.write((int) (0xC0 | u >>> 8));
                e.write((int) u);
            } else {
                int n = x == (short) x ? 2 : x == (x << 40 >> 40) ? 3 : x == (int) x ? 4 : 8;
                e.write(n == 2 ? 0xF1 : n == 3 ? 0xF2 : n == 4 ? 0xF3 : 0xF4);
                for (int i = 0; i < n; i++) {
                    e.write((int) (x >>> (8 * i)));
                }
            }
        } else {
            byte[] s = (byte[]) v;
            if (s.length < 64) {
                e.write(0x80 | s.length);
            } else if (s.length < 4096) {
                e.write(0xE0 | s.length >>> 8);
                e.write(s.length & 0xff);
            } else {
                e.write(0xF0);
                for (int i = 0; i < 4; i++) {
                    e.write(s.length >>> (8 * i));
                }
            }
            e.write(s, 0, s.length);
        }
        int l = e.size();
        if (l <= 127) {
            e.write(l);
        } else if (l < 16383) {
            e.write(l >>> 7);
            e.write((l & 127) | 128);
        } else {
            e.write(l >>> 14);
            e.write(((l >>> 7) & 127) | 128);
            e.write((l & 127) | 128);
        }
        return e.toByteArray();
    }

    static byte[] listpack(List<Object> items) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object o : items) {
            body.writeBytes(lpEntry(o));
        }
        int total = 6 + body.size() + 1;
        ByteArrayOutputStream lp = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            lp.write(total >>> (8 * i));
        }
        lp.write(items.size());
        lp.write(items.size() >>> 8);
        lp.writeBytes(body.toByteArray());
        lp.write(0xFF);
        return lp.toByteArray();
    }

    // ---------------------------------------------------------------- ziplist

    /** One ziplist entry's encoding and data (no prevlen); Long values as integers. */
    static byte[] zlPayload(Object v) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        if (v instanceof Long l) {
            long x = l;
            if (x >= 0 && x <= 12) {
                e.write((int) (0xF1 + x));
                return e.toByteArray();
            }
            int enc;
            int n;
            if (x == (byte) x) {
                enc = 0xFE;
                n = 1;
            } else if (x == (short) x) {
                enc = 0xC0;
                n = 2;
            } else if (x == (x << 40 >> 40)) {
                enc = 0xF0;
                n = 3;
            } else if (x == (int) x) {
                enc = 0xD0;
                n = 4;
            } else {
                enc = 0xE0;
                n = 8;
            }
            e.write(enc);
            for (int i = 0; i < n; i++) {
                e.write((int) (x >>> (8 * i)));
            }
        } else {
            byte[] s = (byte[]) v;
            if (s.length < 64) {
                e.write(s.length);
            } else if (s.length < 16384) {
                e.write(0x40 | s.length >>> 8);
                e.write(s.length & 0xff);
            } else {
                e.write(0x80);
                for (int i = 3; i >= 0; i--) {
                    e.write(s.length >>> (8 * i));
                }
            }
            e.write(s, 0, s.length);
        }
        return e.toByteArray();
    }

    static byte[] ziplist(List<Object> items) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        int tail = 10;
        for (Object o : items) {
            tail = 10 + body.size();
            byte[] p = zlPayload(o);
            int start = body.size();
            if (prev < 254) {
                body.write(prev);
            } else {
                body.write(0xFE);
                for (int i = 0; i < 4; i++) {
                    body.write(prev >>> (8 * i));
                }
            }
            body.writeBytes(p);
            prev = body.size() - start;
        }
        int total = 10 + body.size() + 1;
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            z.write(total >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            z.write(tail >>> (8 * i));
        }
        z.write(items.size());
        z.write(items.size() >>> 8);
        z.writeBytes(body.toByteArray());
        z.write(0xFF);
        return z.toByteArray();
    }

    static byte[] intset(int enc, long... values) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        for (long v : new long[] {enc, values.length}) {
            for (int i = 0; i < 4; i++) {
                z.write((int) (v >>> (8 * i)));
            }
        }
        for (long v : values) {
            for (int i = 0; i < enc; i++) {
                z.write((int) (v >>> (8 * i)));
            }
        }
        return z.toByteArray();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
