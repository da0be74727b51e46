package dev.peregrine.server.command.debug;

import dev.peregrine.server.exec.Engine;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.ValueType;
import dev.peregrine.storage.hash.HashValue;
import dev.peregrine.storage.list.ElementSink;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.set.SetValue;
import dev.peregrine.storage.zset.ZSetValue;
import dev.peregrine.protocol.DoubleFormat;

import java.nio.charset.StandardCharsets;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA1-based digests of DEBUG DIGEST and DEBUG DIGEST-VALUE, computed the way Redis's debug.c does so that
 * equal data gives equal digests here and on redis-server: per key, mix the key, the big-endian type code, the
 * value and an expire marker into a 20-byte digest; XOR the SHA1 of each per-key digest into the result, after
 * mixing in the index of each non-empty database.
 * Order-independent within a database. Strings, lists, sets, sorted sets and hashes are hashed in full (list
 * and stream order counts, set, sorted-set and hash order does not); stream consumer groups do not count.
 * Executor-only (reads the keyspace).
 */
final class DatasetDigest {
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);
    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** XORs SHA1(data) into {@code digest}. */
    void xor(byte[] digest, byte[] data, int off, int len) {
        sha1.reset();
        sha1.update(data, off, len);
        byte[] h = sha1.digest();
        for (int i = 0; i < 20; i++) {
            digest[i] ^= h[i];
        }
    }

    /** XORs SHA1(data) into {@code digest}, then replaces {@code digest} by its own SHA1. */
    void mix(byte[] digest, byte[] data, int off, int len) {
        xor(digest, data, off, len);
        sha1.reset();
        sha1.update(digest, 0, 20);
        System.arraycopy(sha1.digest(), 0, digest, 0, 20);
    }

    private void mixInt(byte[] digest, int v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        mix(digest, b, 0, 4);
    }

    /** Mixes the type, value and expire marker of {@code entry} into {@code digest} (Redis's xorObjectDigest). */
    void mixValue(byte[] digest, Object entry) {
        ValueType type = Entry.type(entry);
        mixInt(digest, redisTypeCode(type));
        if (entry instanceof byte[] e) {
            mix(digest, e, StringEntry.valueOffset(e), StringEntry.valueLength(e));
        } else if (entry instanceof ListValue list) {
            // Order-dependent: each element (integers as decimal text) is mixed into the running digest.
            list.range(0, list.size(), new ElementSink() {
                @Override
                public void string(byte[] buf, int off, int len) {
                    mix(digest, buf, off, len);
                }

                @Override
                public void integer(long value) {
                    byte[] b = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
                    mix(digest, b, 0, b.length);
                }
            });
        } else if (entry instanceof SetValue set) {
            // Order-independent: the SHA1 of each member is XORed in.
            set.forEach(m -> xor(digest, m, 0, m.length));
        } else if (entry instanceof ZSetValue zset) {
            // Order-independent: per element, member then score text (fpconv_dtoa) mixed into a zeroed digest,
            // whose SHA1 is XORed in.
            byte[] pair = new byte[20];
            zset.forEach((m, score) -> {
                java.util.Arrays.fill(pair, (byte) 0);
                mix(pair, m, 0, m.length);
                byte[] s = DoubleFormat.dtoa(score).getBytes(StandardCharsets.US_ASCII);
                mix(pair, s, 0, s.length);
                xor(digest, pair, 0, 20);
                return true;
            });
        } else if (entry instanceof HashValue hash) {
            // Order-independent: per pair, field then value mixed into a zeroed digest, whose SHA1 is XORed in.
            byte[] pair = new byte[20];
            hash.forEach((f, v) -> {
                java.util.Arrays.fill(pair, (byte) 0);
                mix(pair, f, 0, f.length);
                mix(pair, v, 0, v.length);
                xor(digest, pair, 0, 20);
            });
        } else if (entry instanceof dev.peregrine.storage.stream.StreamValue stream) {
            // Order-dependent: per entry its ID as "ms.seq" text, then each field and value, mixed in; groups
            // do not count.
            stream.range(dev.peregrine.storage.stream.StreamId.MIN, dev.peregrine.storage.stream.StreamId.MAX,
                    false, (id, fv) -> {
                        byte[] idText = (Long.toUnsignedString(id.ms) + "." + Long.toUnsignedString(id.seq))
                                .getBytes(StandardCharsets.US_ASCII);
                        mix(digest, idText, 0, idText.length);
                        for (byte[] b : fv) {
                            mix(digest, b, 0, b.length);
                        }
                        return true;
                    });
        }
        if (Entry.expireAt(entry) != Entry.NO_EXPIRE) {
            xor(digest, EXPIRE_MARK, 0, EXPIRE_MARK.length);
        }
    }

    /** Redis's OBJ_* type code (module values are 5, streams 6). */
    static int redisTypeCode(ValueType type) {
        return switch (type) {
            case STRING -> 0;
            case LIST -> 1;
            case SET -> 2;
            case ZSET -> 3;
            case HASH -> 4;
            case STREAM -> 6;
        };
    }

    /** The digest of every database; 20 zero bytes when all are empty. */
    byte[] dataset(Engine engine) {
        byte[] result = new byte[20];
        for (int i = 0; i < engine.databaseCount(); i++) {
            Database db = engine.db(i);
            if (db.size() == 0) {
                continue;
            }
            mixInt(result, i);
            db.forEach(entry -> {
                byte[] d = new byte[20];
                byte[] key = Entry.key(entry);
                mix(d, key, 0, key.length);
                mixValue(d, entry);
                xor(result, d, 0, 20);
            });
        }
        return result;
    }

    /** Lower-case hex of a digest. */
    static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder(40);
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
