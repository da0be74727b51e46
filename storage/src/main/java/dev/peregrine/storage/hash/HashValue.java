package dev.peregrine.storage.hash;

import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.PackedSeq;
import dev.peregrine.storage.ValueType;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * A hash key's value, in one of two encodings, switched like Redis 7.2's {@code t_hash.c}.
 *
 * <h2>Layout</h2>
 * <pre>
 *   listpack:   PackedSeq   [field0][value0][field1][value1]...     insertion order, linear search
 *   hashtable:  BytesHashMap  field -&gt; value                        open addressing, one packed
 *                                                                   array per field and value
 * </pre>
 * Exactly one of the two is non-null.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A new hash starts as {@code listpack}. It becomes {@code hashtable}, for good, when it would hold more
 *       than {@link HashLimits#maxListpackEntries()} fields, when a field or value longer than
 *       {@link HashLimits#maxListpackValue()} bytes is written, or when one HSET/HMSET names more field/value pairs
 *       than the entry limit (Redis pre-sizes then). Deleting never converts back.</li>
 *   <li>Fields are distinct; the server deletes a hash as soon as it is empty.</li>
 * </ul>
 *
 * <h2>Complexity</h2>
 * listpack: get/set/delete O(n) with n at most the entry limit. hashtable: O(1) expected.
 *
 * <p>Executor-only.
 */
public final class HashValue extends ObjectEntry {
    private PackedSeq lp;
    private BytesHashMap ht;

    private HashValue(byte[] key, PackedSeq lp, BytesHashMap ht) {
        super(key);
        this.lp = lp;
        this.ht = ht;
    }

    /** A new, empty hash in the {@code listpack} encoding. */
    public static HashValue create(byte[] key) {
        return new HashValue(key, new PackedSeq(), null);
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return lp != null ? "listpack" : "hashtable";
    }

    public boolean isListpack() {
        return lp != null;
    }

    @Override
    public HashValue copyAs(byte[] newKey) {
        if (lp != null) {
            return new HashValue(newKey, lp.copy(), null);
        }
        BytesHashMap copy = new BytesHashMap(ht.size());
        ht.forEach(copy::put);
        return new HashValue(newKey, null, copy);
    }

    /** Number of fields. */
    public int size() {
        return lp != null ? lp.count() / 2 : ht.size();
    }

    // ---------------------------------------------------------------- reads

    /** The value of {@code field} (a copy in the hashtable encoding), or null; the caller must not modify it. */
    public byte[] get(byte[] field) {
        if (lp != null) {
            int off = lp.find(field, 2);
            return off < 0 ? null : lp.get(lp.next(off));
        }
        return ht.get(field);
    }

    /** The length in bytes of the value of {@code field}, or -1 when absent (HSTRLEN). */
    public int valueLength(byte[] field) {
        if (lp != null) {
            int off = lp.find(field, 2);
            return off < 0 ? -1 : lp.length(lp.next(off));
        }
        return ht.valueLength(field);
    }

    public boolean contains(byte[] field) {
        return lp != null ? lp.find(field, 2) >= 0 : ht.containsKey(field);
    }

    /** Visits every field and value once (listpack: insertion order). The visitor must not modify the hash. */
    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        if (lp != null) {
            for (int off = 0; off < lp.end(); ) {
                int voff = lp.next(off);
                visitor.accept(lp.get(off), lp.get(voff));
                off = lp.next(voff);
            }
        } else {
            ht.forEach(visitor);
        }
    }

    /**
     * One HSCAN step: a listpack hash is visited whole and answers cursor 0 (as Redis); a hashtable visits one
     * cursor step of {@link BytesHashMap#scan}.
     */
    public long scan(long cursor, BiConsumer<byte[], byte[]> visitor) {
        if (lp != null) {
            forEach(visitor);
            return 0;
        }
        return ht.scan(cursor, visitor);
    }

    // ---------------------------------------------------------------- writes

    /**
     * What Redis does before a multi-field write (HSET/HMSET/HSETNX, arguments {@code argv[from..to]}
     * alternating field and value): converts to {@code hashtable} when the pairs outnumber the entry limit or any
     * argument is longer than the value limit.
     */
    public void prepareWrite(byte[][] argv, int from, int to, HashLimits limits) {
        if (lp == null) {
            return;
        }
        long pairs = (to - from + 1) / 2;
        if (pairs > limits.maxListpackEntries()) {
            convert((int) Math.min(pairs + size(), 1 << 20));
            return;
        }
        for (int i = from; i <= to; i++) {
            if (argv[i].length > limits.maxListpackValue()) {
                convert(size());
                return;
            }
        }
    }

    /**
     * Sets {@code field} to {@code value}, converting to {@code hashtable} as Redis does. The hash copies both
     * (or, in the listpack encoding, packs them).
     *
     * @return whether the field is new
     */
    public boolean set(byte[] field, byte[] value, HashLimits limits) {
        if (lp != null && (field.length > limits.maxListpackValue() || value.length > limits.maxListpackValue())) {
            convert(size());
        }
        if (lp != null) {
            int off = lp.find(field, 2);
            if (off >= 0) {
                lp.replace(lp.next(off), value);
                return false;
            }
            lp.append(field);
            lp.append(value);
            if (lp.count() / 2 > limits.maxListpackEntries()) {
                convert(size());
            }
            return true;
        }
        return ht.put(field, value);
    }

    /** Removes {@code field}; returns whether it was present. */
    public boolean delete(byte[] field) {
        if (lp != null) {
            int off = lp.find(field, 2);
            if (off < 0) {
                return false;
            }
            lp.remove(off, 2);
            return true;
        }
        return ht.remove(field);
    }

    private void convert(int expected) {
        BytesHashMap map = new BytesHashMap(Math.max(expected, size()));
        forEach(map::put);
        ht = map;
        lp = null;
    }

    // ---------------------------------------------------------------- random sampling (HRANDFIELD)

    /** A field chosen at random, or null when empty. */
    public byte[] randomField(SplittableRandom random) {
        if (size() == 0) {
            return null;
        }
        if (lp != null) {
            return lp.get(lp.offsetOf(2 * random.nextInt(size())));
        }
        return ht.randomKey(random);
    }

    /**
     * Visits {@code count} fields (with values) chosen at random, as HRANDFIELD with a count.
     *
     * @param unique true: distinct fields, at most {@link #size()} of them (the whole hash when {@code count}
     *        reaches the size); false: {@code count} independent picks that may repeat
     */
    public void randomFields(long count, boolean unique, SplittableRandom random,
                             BiConsumer<byte[], byte[]> visitor) {
        int n = size();
        if (n == 0 || count <= 0) {
            return;
        }
        if (unique && count >= n) {
            forEach(visitor);
            return;
        }
        if (!unique && ht != null) {
            for (long i = 0; i < count; i++) {
                byte[] f = ht.randomKey(random);
                visitor.accept(f, ht.get(f));
            }
            return;
        }
        if (unique && ht != null && count * 3 <= n) {
            // few picks from a big table: sample until enough distinct fields
            BytesHashMap seen = new BytesHashMap((int) count);
            while (seen.size() < count) {
                byte[] f = ht.randomKey(random);
                if (seen.put(f, null)) {
                    visitor.accept(f, ht.get(f));
                }
            }
            return;
        }
        byte[][] fields = new byte[n][];
        byte[][] values = new byte[n][];
        int[] k = {0};
        forEach((f, v) -> {
            fields[k[0]] = f;
            values[k[0]++] = v;
        });
        if (!unique) {
            for (long i = 0; i < count; i++) {
                int j = random.nextInt(n);
                visitor.accept(fields[j], values[j]);
            }
            return;
        }
        // partial Fisher-Yates: the first count slots end up a uniform sample
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            byte[] tf = fields[i];
            fields[i] = fields[j];
            fields[j] = tf;
            byte[] tv = values[i];
            values[i] = values[j];
            values[j] = tv;
            visitor.accept(fields[i], values[i]);
        }
    }
}
