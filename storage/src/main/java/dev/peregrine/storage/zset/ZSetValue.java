package dev.peregrine.storage.zset;

import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.PackedSeq;
import dev.peregrine.storage.ValueType;

/**
 * A sorted set key's value, in one of two encodings switched like Redis 7.2's {@code t_zset.c}.
 *
 * <h2>Layout</h2>
 * <pre>
 *   listpack:  PackedSeq   [member0][score0][member1][score1]...     ascending (score, member)
 *                          score element = 8 bytes, the IEEE-754 bits big-endian
 *   skiplist:  SkipList    ordered nodes (member, score) with spans, see {@link SkipList}
 *            + MemberIndex member -&gt; its SkipList node (open addressing; the slot holds the node itself, so
 *                          member array and score are stored once, in the node)
 * </pre>
 * Exactly one of {@code lp} and ({@code zsl}, {@code dict}) is set.
 *
 * <h2>Invariants and conversions</h2>
 * <ul>
 *   <li>Elements are ordered by score, then member bytes unsigned; scores are never NaN; members are unique.</li>
 *   <li>Skiplist form: {@code dict} holds exactly the members of {@code zsl}, each mapped to its node.</li>
 *   <li>{@link #create} gives {@code listpack} when the size hint is within
 *       {@link ZSetLimits#maxListpackEntries()} and the longest-member hint within
 *       {@link ZSetLimits#maxListpackValue()}, else {@code skiplist} (Redis's zsetTypeCreate; ZADD passes its
 *       element count and the length of its first member); {@link #maybeConvert} converts an existing listpack
 *       ahead of a ZADD whose element count exceeds the entry limit.</li>
 *   <li>A listpack converts to skiplist when an insert would exceed the entry limit or the member is longer than
 *       the value limit. Nothing converts back, except where Redis rebuilds a result:
 *       {@link #convertToListpackIfNeeded} (ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE results).</li>
 * </ul>
 *
 * <h2>Complexity</h2>
 * listpack: every operation O(n) in bytes, n at most the entry limit. skiplist: lookup by member O(1) expected;
 * insert, delete, score change, rank and range start O(log n); iteration O(1) per element.
 *
 * <p>Executor-only.
 */
public final class ZSetValue extends ObjectEntry {
    /** ZADD input flags. */
    public static final int IN_INCR = 1;
    public static final int IN_NX = 2;
    public static final int IN_XX = 4;
    public static final int IN_GT = 8;
    public static final int IN_LT = 16;
    /** {@link #add} results. */
    public static final int OUT_NOP = 1;
    public static final int OUT_NAN = 2;
    public static final int OUT_ADDED = 4;
    public static final int OUT_UPDATED = 8;

    private PackedSeq lp;
    private SkipList zsl;
    private MemberIndex dict;

    private ZSetValue(byte[] key, PackedSeq lp, SkipList zsl, MemberIndex dict) {
        super(key);
        this.lp = lp;
        this.zsl = zsl;
        this.dict = dict;
    }

    /**
     * Redis's zsetTypeCreate: an empty sorted set fit for about {@code sizeHint} members, the longest
     * {@code maxLenHint} bytes.
     */
    public static ZSetValue create(byte[] key, long sizeHint, long maxLenHint, ZSetLimits limits) {
        if (sizeHint <= limits.maxListpackEntries() && maxLenHint <= limits.maxListpackValue()) {
            return new ZSetValue(key, new PackedSeq(), null, null);
        }
        return new ZSetValue(key, null, new SkipList(), new MemberIndex((int) Math.min(sizeHint, 1 << 20)));
    }

    /** An empty sorted set in the skiplist encoding (the start of set-operation results). */
    public static ZSetValue createSkiplist(byte[] key) {
        return new ZSetValue(key, null, new SkipList(), new MemberIndex(4));
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return lp != null ? "listpack" : "skiplist";
    }

    public boolean isListpack() {
        return lp != null;
    }

    @Override
    public ZSetValue copyAs(byte[] newKey) {
        if (lp != null) {
            return new ZSetValue(newKey, lp.copy(), null, null);
        }
        ZSetValue copy = createSkiplist(newKey);
        for (SkipList.Node n = zsl.first(); n != null; n = n.next()) {
            copy.dict.put(copy.zsl.insert(n.score(), n.member()));
        }
        return copy;
    }

    public int size() {
        return lp != null ? lp.count() / 2 : zsl.length();
    }

    // ---------------------------------------------------------------- score encoding helpers

    static byte[] encodeScore(double d) {
        long v = Double.doubleToRawLongBits(d);
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    static double decodeScore(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return Double.longBitsToDouble(v);
    }

    /** Score of the listpack pair whose member is at {@code off}. */
    private double lpScoreAfter(int memberOff) {
        int s = lp.next(memberOff);
        return decodeScore(lp.array(), lp.dataStart(s));
    }

    // ---------------------------------------------------------------- reads

    /** The score of {@code member}, or NaN when absent. */
    public double score(byte[] member) {
        if (lp != null) {
            int off = lp.find(member, 2);
            return off < 0 ? Double.NaN : lpScoreAfter(off);
        }
        SkipList.Node n = dict.node(member);
        return n == null ? Double.NaN : n.score;
    }

    /** The 0-based ascending rank of {@code member}, or -1 when absent. */
    public long rank(byte[] member) {
        if (lp != null) {
            int off = 0;
            for (int i = 0; off < lp.end(); i++) {
                if (lp.equalsAt(off, member)) {
                    return i;
                }
                off = lp.next(lp.next(off));
            }
            return -1;
        }
        SkipList.Node n = dict.node(member);
        return n == null ? -1 : zsl.rank(n.score, member) - 1;
    }

    /** How many leading elements (ascending) satisfy {@code p}, which must hold on a prefix. */
    public long countWhile(ZPredicate p) {
        if (lp != null) {
            long n = 0;
            for (int off = 0; off < lp.end(); off = lp.next(lp.next(off))) {
                if (!p.test(lp.get(off), lpScoreAfter(off))) {
                    break;
                }
                n++;
            }
            return n;
        }
        return zsl.countWhile(p);
    }

    /**
     * The highest 0-based rank whose element satisfies {@code p}, searched as Redis's "last in range" does:
     * a listpack from its tail backwards, a skiplist by walking forward while {@code p} holds; -1 when none.
     */
    public long lastWhere(ZPredicate p) {
        if (lp != null) {
            long last = -1;
            long i = 0;
            for (int off = 0; off < lp.end(); off = lp.next(lp.next(off)), i++) {
                if (p.test(lp.get(off), lpScoreAfter(off))) {
                    last = i;
                }
            }
            return last;
        }
        return zsl.countWhile(p) - 1;
    }

    /** The member at 0-based {@code rank} (within range). */
    public byte[] memberAt(long rank) {
        byte[][] out = new byte[1][];
        visit(rank, false, (m, s) -> {
            out[0] = m;
            return false;
        });
        return out[0];
    }

    /**
     * Visits elements starting at 0-based {@code rank}, ascending or (reverse) descending, until the visitor
     * returns false or the set ends. Must not modify the set meanwhile.
     */
    public void visit(long rank, boolean reverse, ZVisitor v) {
        if (rank < 0 || rank >= size()) {
            return;
        }
        if (lp != null) {
            if (!reverse) {
                for (int off = lp.offsetOf((int) rank * 2); off < lp.end(); off = lp.next(lp.next(off))) {
                    if (!v.visit(lp.get(off), lpScoreAfter(off))) {
                        return;
                    }
                }
                return;
            }
            int[] offs = new int[(int) rank + 1];
            int off = 0;
            for (int i = 0; i <= rank; i++) {
                offs[i] = off;
                off = lp.next(lp.next(off));
            }
            for (int i = (int) rank; i >= 0; i--) {
                if (!v.visit(lp.get(offs[i]), lpScoreAfter(offs[i]))) {
                    return;
                }
            }
            return;
        }
        for (SkipList.Node n = zsl.byRank(rank + 1); n != null; n = reverse ? n.previous() : n.next()) {
            if (!v.visit(n.member(), n.score())) {
                return;
            }
        }
    }

    /** Visits every element in ascending order. */
    public void forEach(ZVisitor v) {
        visit(0, false, v);
    }

    /**
     * One ZSCAN step: a listpack is visited whole (next cursor 0); a skiplist set one step of its member index
     * (Redis's dictScan guarantee).
     */
    public long scan(long cursor, ZVisitor v) {
        if (lp != null) {
            forEach(v);
            return 0;
        }
        return dict.scanNodes(cursor, v);
    }

    // ---------------------------------------------------------------- writes

    /** Converts a listpack to the skiplist encoding (SORT does so before sorting, as Redis); no-op otherwise. */
    public void convertToSkiplist() {
        if (lp != null) {
            toSkiplist(size());
        }
    }

    /**
     * Redis 7.2's zsetTypeMaybeConvert before a ZADD of {@code sizeHint} elements: a listpack converts at once
     * when the element count alone exceeds the entry limit (member lengths are checked per insert).
     */
    public void maybeConvert(long sizeHint, ZSetLimits limits) {
        if (lp != null && sizeHint > limits.maxListpackEntries()) {
            toSkiplist(Math.max(size(), (int) Math.min(sizeHint, 1 << 20)));
        }
    }

    /**
     * Redis's zsetAdd: adds {@code member} or updates its score according to {@code flags} ({@code IN_*}).
     *
     * @param newScore receives the resulting score in element 0 (when added or updated, also for INCR)
     * @return {@code OUT_*} flags: ADDED, UPDATED, NOP (nothing done because of NX/XX/GT/LT), NAN (INCR gave
     *         NaN; nothing done), or 0 (present with the same score)
     */
    public int add(byte[] member, double score, int flags, double[] newScore, ZSetLimits limits) {
        double cur = score(member);
        if (!Double.isNaN(cur)) {
            if ((flags & IN_NX) != 0) {
                return OUT_NOP;
            }
            if ((flags & IN_INCR) != 0) {
                score += cur;
                if (Double.isNaN(score)) {
                    return OUT_NAN;
                }
            }
            if (((flags & IN_LT) != 0 && score >= cur) || ((flags & IN_GT) != 0 && score <= cur)) {
                return OUT_NOP;
            }
            newScore[0] = score;
            if (score != cur) {
                changeScore(member, cur, score);
                return OUT_UPDATED;
            }
            return 0;
        }
        if ((flags & IN_XX) != 0) {
            return OUT_NOP;
        }
        insertNew(member, score, limits);
        newScore[0] = score;
        return OUT_ADDED;
    }

    /** Inserts a member known to be absent, converting a listpack that would outgrow its limits. */
    public void insertNew(byte[] member, double score, ZSetLimits limits) {
        if (lp != null) {
            if (size() + 1 > limits.maxListpackEntries() || member.length > limits.maxListpackValue()) {
                toSkiplist(size() + 1);
            } else {
                lpInsert(member, score);
                return;
            }
        }
        dict.put(zsl.insert(score, member));
    }

    private void lpInsert(byte[] member, double score) {
        int off = 0;
        while (off < lp.end()) {
            double s = lpScoreAfter(off);
            if (s > score || (s == score && compareAt(off, member) > 0)) {
                break;
            }
            off = lp.next(lp.next(off));
        }
        lp.insert(off, member);
        lp.insert(lp.next(off), encodeScore(score));
    }

    private int compareAt(int off, byte[] member) {
        int start = lp.dataStart(off);
        return java.util.Arrays.compareUnsigned(lp.array(), start, start + lp.length(off), member, 0,
                member.length);
    }

    private void changeScore(byte[] member, double cur, double score) {
        if (lp != null) {
            int off = lp.find(member, 2);
            lp.remove(off, 2);
            lpInsert(member, score);
            return;
        }
        dict.put(zsl.updateScore(cur, member, score));
    }

    /** Removes {@code member}; returns whether it was present. */
    public boolean remove(byte[] member) {
        if (lp != null) {
            int off = lp.find(member, 2);
            if (off < 0) {
                return false;
            }
            lp.remove(off, 2);
            return true;
        }
        SkipList.Node n = dict.node(member);
        if (n == null) {
            return false;
        }
        zsl.delete(n.score, member);
        dict.remove(member);
        return true;
    }

    /** Removes the elements of 0-based ranks {@code start..end} (inclusive, clamped by the caller). */
    public long removeRange(long start, long end) {
        if (start > end || start >= size()) {
            return 0;
        }
        end = Math.min(end, size() - 1);
        long n = end - start + 1;
        if (lp != null) {
            lp.remove(lp.offsetOf((int) start * 2), (int) n * 2);
            return n;
        }
        zsl.deleteRangeByRank(start + 1, end + 1, node -> dict.remove(node.member()));
        return n;
    }

    // ---------------------------------------------------------------- conversions

    private void toSkiplist(int expected) {
        SkipList list = new SkipList();
        MemberIndex map = new MemberIndex(expected);
        forEach((m, s) -> {
            map.put(list.insert(s, m));
            return true;
        });
        lp = null;
        zsl = list;
        dict = map;
    }

    /**
     * Redis's zsetConvertToListpackIfNeeded: a skiplist set with at most the entry limit of members, none longer
     * than the value limit ({@code maxLen} is the caller's longest member), becomes a listpack.
     */
    public void convertToListpackIfNeeded(long maxLen, ZSetLimits limits) {
        if (lp != null || zsl.length() > limits.maxListpackEntries() || maxLen > limits.maxListpackValue()) {
            return;
        }
        PackedSeq seq = new PackedSeq();
        for (SkipList.Node n = zsl.first(); n != null; n = n.next()) {
            seq.append(n.member());
            seq.append(encodeScore(n.score()));
        }
        lp = seq;
        zsl = null;
        dict = null;
    }
}
