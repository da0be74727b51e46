package dev.peregrine.storage.zset;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ordered half of the {@code skiplist} sorted set encoding: Redis's skiplist (William Pugh's, with a backward
 * link on level 0 and a span on every forward link so ranks cost O(log n)).
 *
 * <h2>Layout</h2>
 * <pre>
 *   header ──L2──────────────────────────► n3 ──► null      span(header,L2) = 3
 *   header ──L1──────────► n2 ───────────► n3 ──► null
 *   header ──L0──► n1 ───► n2 ───► n3 ───► n4 ──► null
 *           null ◄─ n1 ◄──── n2 ◄──── n3 ◄─── n4   (backward)    tail = n4
 *   Node (level 1, 3 in 4 nodes):         byte[] member, double score, Node backward, Node next0     32 bytes
 *   Tall2 extends Node (level 2, 3 in 16): + Node up1, int span1                                   40 bytes
 *   Tall extends Node (levels 3..32):     + Node[] up, int[] upSpan  (links and spans of levels 1..level-1)
 * </pre>
 * {@code span(i)} counts the level-0 steps the link {@code next(i)} jumps (for a null link, the steps to the end
 * of the list). On level 0 it is always 1, so it is not stored; level 1 of a {@code Tall2} is {@code up1} with
 * {@code span1}; level {@code i >= 1} of a {@code Tall} is {@code up[i - 1]} with {@code upSpan[i - 1]}. The
 * header is a {@code Tall} node of {@link #MAX_LEVEL} levels with no member.
 *
 * <h2>Invariants</h2>
 * Elements are ordered by score, then by member bytes compared unsigned (shorter prefix first); no two have the
 * same member. Node levels are drawn with p = 1/4, at most {@link #MAX_LEVEL}. The rank of a node (1-based) is
 * the sum of the spans walked from the header to it.
 *
 * <h2>Complexity</h2>
 * Insert, delete, rank, element-by-rank and range starts: O(log n) expected. Iteration from a node: O(1) per step.
 *
 * <p>Executor-only.
 */
public final class SkipList {
    /** Most levels a node may have (Redis's ZSKIPLIST_MAXLEVEL). */
    public static final int MAX_LEVEL = 32;

    /** One element. Nodes of one level are plain {@code Node}s; higher ones are {@link Tall2} or {@link Tall}. */
    public static class Node {
        final byte[] member;
        double score;
        Node backward;
        Node next0;

        Node(byte[] member, double score) {
            this.member = member;
            this.score = score;
        }

        static Node of(int level, byte[] member, double score) {
            return level == 1 ? new Node(member, score)
                    : level == 2 ? new Tall2(member, score) : new Tall(level, member, score);
        }

        public byte[] member() {
            return member;
        }

        public double score() {
            return score;
        }

        /** The following node in ascending order, or null. */
        public Node next() {
            return next0;
        }

        /** The preceding node, or null. */
        public Node previous() {
            return backward;
        }

        /** Number of levels (1..{@link #MAX_LEVEL}). */
        int level() {
            return 1;
        }

        /** The forward link on level {@code i} (below {@link #level()}). */
        final Node next(int i) {
            return i == 0 ? next0 : upNext(i);
        }

        final void setNext(int i, Node n) {
            if (i == 0) {
                next0 = n;
            } else {
                setUpNext(i, n);
            }
        }

        /** The span of the link on level {@code i}: always 1 on level 0. */
        final int span(int i) {
            return i == 0 ? 1 : upSpan(i);
        }

        /** Sets the span on level {@code i}; level 0 spans are implicit (1) and not stored. */
        final void setSpan(int i, int span) {
            if (i != 0) {
                setUpSpan(i, span);
            }
        }

        /** Level {@code i >= 1} accessors, only on nodes with more than one level. */
        Node upNext(int i) {
            throw new IllegalStateException("level-1 node");
        }

        void setUpNext(int i, Node n) {
            throw new IllegalStateException("level-1 node");
        }

        int upSpan(int i) {
            throw new IllegalStateException("level-1 node");
        }

        void setUpSpan(int i, int span) {
            throw new IllegalStateException("level-1 node");
        }
    }

    /** A node of two levels: the link and span of level 1 as fields. */
    static final class Tall2 extends Node {
        Node up1;
        int span1;

        Tall2(byte[] member, double score) {
            super(member, score);
        }

        @Override
        int level() {
            return 2;
        }

        @Override
        Node upNext(int i) {
            return up1;
        }

        @Override
        void setUpNext(int i, Node n) {
            up1 = n;
        }

        @Override
        int upSpan(int i) {
            return span1;
        }

        @Override
        void setUpSpan(int i, int span) {
            span1 = span;
        }
    }

    /** A node of three or more levels: the links and spans above level 0 in arrays. */
    static final class Tall extends Node {
        final Node[] up;
        final int[] upSpan;

        Tall(int level, byte[] member, double score) {
            super(member, score);
            up = new Node[level - 1];
            upSpan = new int[level - 1];
        }

        @Override
        int level() {
            return up.length + 1;
        }

        @Override
        Node upNext(int i) {
            return up[i - 1];
        }

        @Override
        void setUpNext(int i, Node n) {
            up[i - 1] = n;
        }

        @Override
        int upSpan(int i) {
            return upSpan[i - 1];
        }

        @Override
        void setUpSpan(int i, int span) {
            upSpan[i - 1] = span;
        }
    }

    private final Node header = new Tall(MAX_LEVEL, null, 0);
    private Node tail;
    private int length;
    private int level = 1;

    public int length() {
        return length;
    }

    /** The first (lowest) node, or null. */
    public Node first() {
        return header.next0;
    }

    /** The last (highest) node, or null. */
    public Node last() {
        return tail;
    }

    static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && (r.nextInt() & 0xFFFF) < 0xFFFF / 4) {
            lvl++;
        }
        return lvl;
    }

    /** Whether (s1, m1) sorts before (s2, m2). */
    static boolean before(double s1, byte[] m1, double s2, byte[] m2) {
        return s1 < s2 || (s1 == s2 && Arrays.compareUnsigned(m1, m2) < 0);
    }

    /** Inserts a member that is not present (the caller checks); the list keeps the array. */
    public Node insert(double score, byte[] member) {
        int lvl = randomLevel();
        int n0 = Math.max(level, lvl);
        Node[] update = new Node[n0];
        int[] rank = new int[n0];
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.next(i) != null && before(x.next(i).score, x.next(i).member, score, member)) {
                rank[i] += x.span(i);
                x = x.next(i);
            }
            update[i] = x;
        }
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].setSpan(i, length);
            }
            level = lvl;
        }
        Node n = Node.of(lvl, member, score);
        for (int i = 0; i < lvl; i++) {
            n.setNext(i, update[i].next(i));
            update[i].setNext(i, n);
            n.setSpan(i, update[i].span(i) - (rank[0] - rank[i]));
            update[i].setSpan(i, (rank[0] - rank[i]) + 1);
        }
        for (int i = lvl; i < level; i++) {
            update[i].setSpan(i, update[i].span(i) + 1);
        }
        n.backward = update[0] == header ? null : update[0];
        if (n.next(0) != null) {
            n.next(0).backward = n;
        } else {
            tail = n;
        }
        length++;
        return n;
    }

    private void unlink(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].next(i) == x) {
                update[i].setSpan(i, update[i].span(i) + x.span(i) - 1);
                update[i].setNext(i, x.next(i));
            } else {
                update[i].setSpan(i, update[i].span(i) - 1);
            }
        }
        if (x.next(0) != null) {
            x.next(0).backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.next(level - 1) == null) {
            level--;
        }
        length--;
    }

    private Node findUpdate(double score, byte[] member, Node[] update) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && before(x.next(i).score, x.next(i).member, score, member)) {
                x = x.next(i);
            }
            update[i] = x;
        }
        return x.next(0);
    }

    /** Deletes the element (score, member); returns whether it was there. */
    public boolean delete(double score, byte[] member) {
        Node[] update = new Node[level];
        Node x = findUpdate(score, member, update);
        if (x != null && x.score == score && Arrays.equals(x.member, member)) {
            unlink(x, update);
            return true;
        }
        return false;
    }

    /**
     * Moves the present element (oldScore, member) to {@code newScore}: in place when its position does not
     * change, else by delete and re-insert into a new node (keeping the member array), as Redis's
     * zslUpdateScore.
     *
     * @return the node now holding the element (the same one when updated in place)
     */
    public Node updateScore(double oldScore, byte[] member, double newScore) {
        Node[] update = new Node[level];
        Node x = findUpdate(oldScore, member, update);
        if (x == null || x.score != oldScore || !Arrays.equals(x.member, member)) {
            throw new IllegalStateException("element not in skiplist");
        }
        if ((x.backward == null || x.backward.score < newScore)
                && (x.next(0) == null || x.next(0).score > newScore)) {
            x.score = newScore;
            return x;
        }
        unlink(x, update);
        return insert(newScore, x.member);
    }

    /** The 1-based rank of (score, member), or 0 when absent. */
    public long rank(double score, byte[] member) {
        Node x = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && (before(x.next(i).score, x.next(i).member, score, member)
                    || (x.next(i).score == score && Arrays.equals(x.next(i).member, member)))) {
                rank += x.span(i);
                x = x.next(i);
            }
            if (x != header && x.score == score && Arrays.equals(x.member, member)) {
                return rank;
            }
        }
        return 0;
    }

    /** The node of 1-based {@code rank}, or null when out of range. */
    public Node byRank(long rank) {
        if (rank < 1 || rank > length) {
            return null;
        }
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && traversed + x.span(i) <= rank) {
                traversed += x.span(i);
                x = x.next(i);
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }

    /**
     * How many leading elements satisfy {@code p}, walking as Redis's range searches do (forward while the next
     * node still satisfies it); {@code p} must hold on a prefix for the answer to be exact.
     */
    public long countWhile(ZPredicate p) {
        Node x = header;
        long rank = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && p.test(x.next(i).member, x.next(i).score)) {
                rank += x.span(i);
                x = x.next(i);
            }
        }
        return rank;
    }

    /**
     * Unlinks the elements of 1-based ranks {@code start..end} (inclusive, within range) and hands each to
     * {@code removed} (to drop it from the member index).
     */
    public void deleteRangeByRank(long start, long end, java.util.function.Consumer<Node> removed) {
        Node[] update = new Node[level];
        Node x = header;
        long traversed = 0;
        for (int i = level - 1; i >= 0; i--) {
            while (x.next(i) != null && traversed + x.span(i) < start) {
                traversed += x.span(i);
                x = x.next(i);
            }
            update[i] = x;
        }
        traversed++;
        x = x.next(0);
        while (x != null && traversed <= end) {
            Node following = x.next(0);
            unlink(x, update);
            removed.accept(x);
            traversed++;
            x = following;
        }
    }
}
