package dev.peregrine.storage.set;

import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.PackedSeq;
import dev.peregrine.storage.ValueType;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A set key's value, in one of three encodings, switched like Redis 7.2's {@code t_set.c}.
 *
 * <h2>Layout</h2>
 * <pre>
 *   intset:     IntSet        sorted 16/32/64-bit integers          all members canonical integers
 *   listpack:   PackedSeq     [member0][member1]...                 insertion order, linear search
 *   hashtable:  BytesHashSet  open addressing
 * </pre>
 * Exactly one of the three is non-null.
 *
 * <h2>Invariants and conversions</h2>
 * <ul>
 *   <li>Created ({@link #create}) as {@code intset} when the first member is an integer and the size hint is
 *       within {@link SetLimits#maxIntsetEntries()}, else {@code listpack} when the hint is within
 *       {@link SetLimits#maxListpackEntries()}, else {@code hashtable}.</li>
 *   <li>An {@code intset} that grows past its limit becomes {@code hashtable}. One that gains a non-integer becomes
 *       {@code listpack} if it has fewer members than the listpack limit and every member (the new one and the
 *       longest integer) fits the value limit, else {@code hashtable}.</li>
 *   <li>A {@code listpack} that would exceed its entry limit or gains a member longer than the value limit
 *       becomes {@code hashtable}.</li>
 *   <li>Removing never converts back, except where Redis rebuilds a set: SPOP with a count that leaves few
 *       members ({@link #popMany}) and SINTERSTORE's all-integer result ({@link #maybeConvertToIntset}).</li>
 * </ul>
 *
 * <h2>Complexity</h2>
 * intset: lookup O(log n), add/remove O(n). listpack: O(n) with n at most the entry limit. hashtable: O(1)
 * expected.
 *
 * <p>Executor-only.
 */
public final class SetValue extends ObjectEntry {
    private IntSet is;
    private PackedSeq lp;
    private BytesHashSet ht;

    private SetValue(byte[] key, IntSet is, PackedSeq lp, BytesHashSet ht) {
        super(key);
        this.is = is;
        this.lp = lp;
        this.ht = ht;
    }

    /** Redis's {@code setTypeCreate}: an empty set fit to receive {@code first} and about {@code sizeHint} more. */
    public static SetValue create(byte[] key, byte[] first, long sizeHint, SetLimits limits) {
        if (sizeHint <= limits.intsetMax() && Numbers.isLong(first)) {
            return createIntset(key);
        }
        if (sizeHint <= limits.maxListpackEntries()) {
            return createListpack(key);
        }
        return new SetValue(key, null, null, new BytesHashSet((int) Math.min(sizeHint, 1 << 20)));
    }

    public static SetValue createIntset(byte[] key) {
        return new SetValue(key, new IntSet(), null, null);
    }

    public static SetValue createListpack(byte[] key) {
        return new SetValue(key, null, new PackedSeq(), null);
    }

    /**
     * The empty destination SINTERSTORE starts from, given the smallest source set: intset after an intset,
     * listpack otherwise (as Redis).
     */
    public static SetValue intersectionTarget(byte[] key, SetValue smallest) {
        return smallest.is != null ? createIntset(key) : createListpack(key);
    }

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    @Override
    public String encoding() {
        return is != null ? "intset" : lp != null ? "listpack" : "hashtable";
    }

    @Override
    public SetValue copyAs(byte[] newKey) {
        if (is != null) {
            return new SetValue(newKey, is.copy(), null, null);
        }
        if (lp != null) {
            return new SetValue(newKey, null, lp.copy(), null);
        }
        BytesHashSet copy = new BytesHashSet(ht.size());
        ht.forEach(copy::add);
        return new SetValue(newKey, null, null, copy);
    }

    public int size() {
        return is != null ? is.size() : lp != null ? lp.count() : ht.size();
    }

    // ---------------------------------------------------------------- reads

    public boolean contains(byte[] member) {
        if (is != null) {
            long v = Numbers.parseLong(member);
            return (v != Numbers.NOT_A_LONG || Numbers.isLong(member)) && is.contains(v);
        }
        if (lp != null) {
            return lp.find(member, 1) >= 0;
        }
        return ht.contains(member);
    }

    /** Visits every member once (intset: ascending; listpack: insertion order). Must not modify the set. */
    public void forEach(Consumer<byte[]> visitor) {
        if (is != null) {
            for (int i = 0; i < is.size(); i++) {
                visitor.accept(Numbers.toBytes(is.get(i)));
            }
        } else if (lp != null) {
            for (int off = 0; off < lp.end(); off = lp.next(off)) {
                visitor.accept(lp.get(off));
            }
        } else {
            ht.forEach(visitor);
        }
    }

    /** One SSCAN step: a compact set is visited whole (cursor 0 back); a hashtable one cursor step. */
    public long scan(long cursor, Consumer<byte[]> visitor) {
        if (ht == null) {
            forEach(visitor);
            return 0;
        }
        return ht.scan(cursor, (k, v) -> visitor.accept(k));
    }

    /** A member chosen at random, or null when empty. */
    public byte[] randomMember(SplittableRandom random) {
        int n = size();
        if (n == 0) {
            return null;
        }
        if (is != null) {
            return Numbers.toBytes(is.get(random.nextInt(n)));
        }
        if (lp != null) {
            return lp.get(lp.offsetOf(random.nextInt(n)));
        }
        return ht.randomKey(random);
    }

    /**
     * SRANDMEMBER with a count: {@code count} members chosen at random.
     *
     * @param unique true: distinct members, the whole set when {@code count} reaches the size; false:
     *        independent picks that may repeat
     */
    public void randomMembers(long count, boolean unique, SplittableRandom random, Consumer<byte[]> visitor) {
        int n = size();
        if (n == 0 || count <= 0) {
            return;
        }
        if (!unique || count == 1) {
            if (ht != null) {
                for (long i = 0; i < count; i++) {
                    visitor.accept(ht.randomKey(random));
                }
                return;
            }
            byte[][] all = toArray();
            for (long i = 0; i < count; i++) {
                visitor.accept(all[random.nextInt(n)]);
            }
            return;
        }
        if (count >= n) {
            forEach(visitor);
            return;
        }
        if (ht != null && count * 3 <= n) {
            BytesHashSet seen = new BytesHashSet((int) count);
            while (seen.size() < count) {
                byte[] m = ht.randomKey(random);
                if (seen.add(m)) {
                    visitor.accept(m);
                }
            }
            return;
        }
        byte[][] all = toArray();
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            byte[] t = all[i];
            all[i] = all[j];
            all[j] = t;
            visitor.accept(all[i]);
        }
    }

    private byte[][] toArray() {
        byte[][] all = new byte[size()][];
        int[] k = {0};
        forEach(m -> all[k[0]++] = m);
        return all;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Redis's {@code setTypeMaybeConvert} before SADD of {@code sizeHint} members to an existing set: a compact
     * set converts to hashtable at once when the hint alone exceeds its limit.
     */
    public void maybeConvert(long sizeHint, SetLimits limits) {
        if ((lp != null && sizeHint > limits.maxListpackEntries())
                || (is != null && sizeHint > limits.intsetMax())) {
            toHashtable((int) Math.min(sizeHint, 1 << 20));
        }
    }

    /** Adds {@code member} (the set may keep the array), converting as Redis; returns whether it was new. */
    public boolean add(byte[] member, SetLimits limits) {
        if (is != null) {
            long v = Numbers.parseLong(member);
            if (v != Numbers.NOT_A_LONG || Numbers.isLong(member)) {
                if (!is.add(v)) {
                    return false;
                }
                if (is.size() > limits.intsetMax()) {
                    toHashtable(is.size());
                }
                return true;
            }
            int n = is.size();
            long maxIntLen = n == 0 ? 0 : Math.max(digits(is.min()), digits(is.max()));
            if (n < limits.maxListpackEntries() && member.length <= limits.maxListpackValue()
                    && maxIntLen <= limits.maxListpackValue()) {
                toListpack();
                lp.append(member);
            } else {
                toHashtable(n + 1);
                ht.add(member);
            }
            return true;
        }
        if (lp != null) {
            if (lp.find(member, 1) >= 0) {
                return false;
            }
            if (lp.count() < limits.maxListpackEntries() && member.length <= limits.maxListpackValue()) {
                lp.append(member);
            } else {
                toHashtable(lp.count() + 1);
                ht.add(member);
            }
            return true;
        }
        return ht.add(member);
    }

    /** Removes {@code member}; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (is != null) {
            long v = Numbers.parseLong(member);
            return (v != Numbers.NOT_A_LONG || Numbers.isLong(member)) && is.remove(v);
        }
        if (lp != null) {
            int off = lp.find(member, 1);
            if (off < 0) {
                return false;
            }
            lp.remove(off, 1);
            return true;
        }
        return ht.remove(member);
    }

    /** Removes and returns a member chosen at random, or null when empty (SPOP). */
    public byte[] popRandom(SplittableRandom random) {
        int n = size();
        if (n == 0) {
            return null;
        }
        if (is != null) {
            int i = random.nextInt(n);
            long v = is.get(i);
            is.removeAt(i);
            return Numbers.toBytes(v);
        }
        if (lp != null) {
            int off = lp.offsetOf(random.nextInt(n));
            byte[] m = lp.get(off);
            lp.remove(off, 1);
            return m;
        }
        byte[] m = ht.randomKey(random);
        ht.remove(m);
        return m;
    }

    /**
     * SPOP with {@code 0 < count < size()}: removes {@code count} random members and hands each to
     * {@code visitor}. When few members would remain (5 x remaining &lt;= count), the remaining ones are drawn
     * into a fresh set that replaces this one's contents, as Redis does: a hashtable may so become listpack or
     * intset.
     */
    public void popMany(long count, SplittableRandom random, SetLimits limits, Consumer<byte[]> visitor) {
        long remaining = size() - count;
        if (remaining * 5 > count) {
            for (long i = 0; i < count; i++) {
                visitor.accept(popRandom(random));
            }
            return;
        }
        SetValue keep;
        if (lp != null) {
            keep = createListpack(key());
        } else {
            keep = null;
        }
        for (long i = 0; i < remaining; i++) {
            byte[] m = popRandom(random);
            if (keep == null) {
                keep = is != null ? createIntset(key()) : createListpack(key());
            }
            keep.add(m, limits);
        }
        forEach(visitor);
        if (keep == null) {
            keep = createIntset(key());
        }
        is = keep.is;
        lp = keep.lp;
        ht = keep.ht;
    }

    /**
     * Converts to intset when every member is an integer and the intset limit allows (Redis's
     * {@code maybeConvertToIntset}, used for SINTERSTORE results); the caller knows all are integers.
     */
    public void maybeConvertToIntset(SetLimits limits) {
        if (is != null || size() > limits.intsetMax()) {
            return;
        }
        IntSet ints = new IntSet();
        forEach(m -> ints.add(Numbers.parseLong(m)));
        is = ints;
        lp = null;
        ht = null;
    }

    private void toListpack() {
        PackedSeq seq = new PackedSeq();
        forEach(seq::append);
        is = null;
        lp = seq;
    }

    private void toHashtable(int expected) {
        BytesHashSet set = new BytesHashSet(Math.max(expected, size()));
        forEach(set::add);
        is = null;
        lp = null;
        ht = set;
    }

    private static int digits(long v) {
        return Long.toString(v).length();
    }
}
