package dev.peregrine.storage.list;

import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.ValueType;

/**
 * A list key's value: one {@link Listpack} while small (OBJECT ENCODING {@code listpack}), a {@link QuickList}
 * once it outgrows {@code list-max-listpack-size} ({@code quicklist}).
 *
 * <h2>Memory layout</h2>
 * <pre>
 *  listpack encoding:   ListValue{key, expireAt, lp} --&gt; Listpack{byte[] [e0][e1]...[en-1]}
 *  quicklist encoding:  ListValue{key, expireAt, ql} --&gt; QuickList{head &lt;-&gt; node &lt;-&gt; ... &lt;-&gt; tail}
 *                                                          each node --&gt; Listpack (interior ones
 *                                                          LZF-compressed when list-compress-depth &gt; 0)
 * </pre>
 *
 * <h2>Encoding switches (as Redis 7.2)</h2>
 * <ul>
 * <li>Growing ({@link #beforeGrow}): before elements are added to a listpack, if its bytes plus the raw lengths
 * of the new elements, or its count plus theirs, exceed the limit of {@code fill} (see
 * {@link QuickList#exceedsLimit}), it becomes the single node of a new quicklist.</li>
 * <li>Shrinking ({@link #afterShrink}): after elements are removed, a quicklist with a single packed node whose
 * bytes are at most half the byte limit and whose count is at most half the count limit turns back into a
 * listpack (the halving leaves a margin so a list near the limit does not flip back and forth).</li>
 * </ul>
 * Exactly one of {@code lp} and {@code ql} is set. The owner deletes the key when the list becomes empty.
 *
 * <p>Complexity: push/pop O(1) amortised at the tail, O(node bytes) at the head; index access O(n) in a listpack
 * (from the nearer end), O(nodes + node size) in a quicklist; ranges O(start + length). Executor-only.
 */
public final class ListValue extends ObjectEntry {
    private Listpack lp;
    private QuickList ql;

    /** An empty list in listpack encoding. */
    public ListValue(byte[] key) {
        super(key);
        lp = new Listpack();
    }

    private ListValue(byte[] key, Listpack lp, QuickList ql) {
        super(key);
        this.lp = lp;
        this.ql = ql;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return lp != null ? "listpack" : "quicklist";
    }

    @Override
    public ObjectEntry copyAs(byte[] newKey) {
        return lp != null ? new ListValue(newKey, lp.copy(), null) : new ListValue(newKey, null, ql.copy());
    }

    /** Number of elements. */
    public long size() {
        return lp != null ? lp.size() : ql.size();
    }

    /** How many quicklist nodes are held compressed (0 in listpack encoding); for diagnostics. O(nodes). */
    public int compressedNodeCount() {
        return ql == null ? 0 : ql.compressedNodeCount();
    }

    /** Number of quicklist nodes, 1 in listpack encoding (the listpack counts as one packed node). */
    public int nodeCount() {
        return lp != null ? 1 : ql.nodeCount();
    }

    /**
     * Visits the nodes head to tail as an RDB writer sees them: the listpack of the listpack encoding as one
     * packed node, or each quicklist node. The visitor must not modify the list.
     */
    public void forEachNode(QuickList.NodeVisitor visitor) {
        if (lp != null) {
            visitor.node(lp, false);
        } else {
            ql.forEachNode(visitor);
        }
    }

    /** Whether the value is in listpack encoding. */
    public boolean isListpack() {
        return lp != null;
    }

    // ------------------------------------------------------------------ encoding switches

    /**
     * To be called before adding {@code argv[from..to]}: switches a listpack that would exceed the limit of
     * {@code fill} to a quicklist.
     */
    public void beforeGrow(byte[][] argv, int from, int to, int fill) {
        beforeGrow(argv, from, to, fill, 0);
    }

    /**
     * {@link #beforeGrow(byte[][], int, int, int)} where a new quicklist compresses its interior nodes beyond
     * {@code compressDepth} nodes from each end ({@code list-compress-depth}, 0 = never).
     */
    public void beforeGrow(byte[][] argv, int from, int to, int fill, int compressDepth) {
        if (lp == null) {
            return;
        }
        long addBytes = 0;
        for (int i = from; i <= to; i++) {
            addBytes += argv[i].length;
        }
        if (QuickList.exceedsLimit(fill, lp.bytes() + addBytes, lp.size() + (long) (to - from + 1))) {
            ql = new QuickList(fill, compressDepth, lp);
            lp = null;
        }
    }

    /** {@link #beforeGrow} for one element. */
    public void beforeGrow(byte[] v, int fill) {
        beforeGrow(v, fill, 0);
    }

    /** {@link #beforeGrow(byte[], int)} with a compression depth for a new quicklist. */
    public void beforeGrow(byte[] v, int fill, int compressDepth) {
        if (lp != null && QuickList.exceedsLimit(fill, (long) lp.bytes() + v.length, lp.size() + 1L)) {
            ql = new QuickList(fill, compressDepth, lp);
            lp = null;
        }
    }

    /** To be called after removing elements: switches a small enough quicklist back to a listpack. */
    public void afterShrink(int fill) {
        if (ql == null || ql.nodes != 1 || ql.head.plain) {
            return;
        }
        long sizeLimit = QuickList.sizeLimit(fill) / 2;
        long countLimit = QuickList.countLimit(fill) / 2;
        if (ql.head.lp.bytes() > sizeLimit || ql.count > countLimit) {
            return;
        }
        lp = ql.takeOnlyListpack();
        ql = null;
    }

    // ------------------------------------------------------------------ ends

    /** Adds {@code v} at the head (LPUSH) or the tail (RPUSH). Call {@link #beforeGrow} first. */
    public void push(byte[] v, boolean atHead) {
        if (lp != null) {
            if (atHead) {
                lp.prepend(v);
            } else {
                lp.append(v);
            }
        } else if (atHead) {
            ql.pushHead(v);
        } else {
            ql.pushTail(v);
        }
    }

    /** Removes and returns the head or tail element, or null when empty. */
    public byte[] pop(boolean atHead) {
        if (lp != null) {
            return atHead ? lp.popFirst() : lp.popLast();
        }
        return atHead ? ql.popHead() : ql.popTail();
    }

    // ------------------------------------------------------------------ by index

    private long normalize(long index) {
        long n = size();
        if (index < 0) {
            index += n;
        }
        return index < 0 || index >= n ? -1 : index;
    }

    /** A copy of element {@code index} (negative counts from the tail), or null when out of range. */
    public byte[] get(long index) {
        long i = normalize(index);
        if (i < 0) {
            return null;
        }
        return lp != null ? lp.get(lp.seek(i)) : ql.get(i);
    }

    /**
     * Replaces element {@code index} (negative counts from the tail). Call {@link #beforeGrow} first and
     * {@link #afterShrink} after.
     *
     * @return false when the index is out of range
     */
    public boolean set(long index, byte[] v) {
        long i = normalize(index);
        if (i < 0) {
            return false;
        }
        if (lp != null) {
            lp.replace(lp.seek(i), v);
        } else {
            ql.replace(i, v);
        }
        return true;
    }

    /** Inserts {@code v} before element {@code index} ({@code 0 <= index <= size}). Call {@link #beforeGrow} first. */
    public void insert(long index, byte[] v) {
        if (lp != null) {
            lp.insert(index >= lp.size() ? -1 : lp.seek(index), v);
        } else {
            ql.insert(index, v);
        }
    }

    /** Removes {@code n} elements from {@code start} on ({@code start + n <= size}). */
    public void deleteRange(long start, long n) {
        if (n <= 0) {
            return;
        }
        if (lp != null) {
            lp.delete(lp.seek(start), (int) n);
        } else {
            ql.deleteRange(start, n);
        }
    }

    /** Hands elements {@code [start, start + n)} ({@code 0 <= start}, in range) to {@code sink} in order. */
    public void range(long start, long n, ElementSink sink) {
        Cursor c = cursor(start, true);
        for (long k = 0; k < n && c.valid(); k++) {
            c.emit(sink);
            c.advance();
        }
        c.close();
    }

    // ------------------------------------------------------------------ cursor

    /**
     * A cursor at element {@code index} ({@code 0 <= index < size}, else an invalid cursor) moving towards the
     * tail ({@code forward}) or the head. The list must not change while it is used, except through
     * {@link Cursor#remove()}.
     */
    public Cursor cursor(long index, boolean forward) {
        Cursor c = new Cursor(forward);
        long i = normalize(index);
        if (i < 0) {
            c.pos = -1;
        } else if (lp != null) {
            c.cur = lp;
            c.pos = lp.seek(i);
        } else {
            QuickList.Spot s = ql.locate(i, new QuickList.Spot());
            c.node = s.node;
            c.cur = s.node.lp;
            c.pos = c.cur.seek(s.local);
        }
        return c;
    }

    /** Walks the elements one way; see {@link ListValue#cursor}. */
    public final class Cursor {
        private final boolean forward;
        QuickList.Node node;
        Listpack cur;
        int pos;

        private Cursor(boolean forward) {
            this.forward = forward;
        }

        /** Whether the cursor is on an element. */
        public boolean valid() {
            return pos >= 0;
        }

        /** Moves to the next element in the cursor's direction (invalid past the end). */
        public void advance() {
            pos = forward ? cur.next(pos) : cur.prev(pos);
            if (pos < 0) {
                enterNeighbour();
            }
        }

        private void enterNeighbour() {
            if (node == null) {
                return;
            }
            QuickList.Node left = node;
            node = forward ? node.next : node.prev;
            ql.settle(left);
            if (node != null) {
                cur = node.lp;
                pos = forward ? cur.first() : cur.last();
            }
        }

        /** A copy of the current element. */
        public byte[] get() {
            return cur.get(pos);
        }

        /** Hands the current element to {@code sink}. */
        public void emit(ElementSink sink) {
            cur.emit(pos, sink);
        }

        /** Whether the current element equals {@code v} ({@code vInt} = {@link Listpack.Element#asInt}(v)). */
        public boolean matches(byte[] v, Listpack.Element vInt) {
            return cur.matches(pos, v, vInt);
        }

        /** Done with the cursor: lets the quicklist compress the node it stopped in again. Optional. */
        public void close() {
            if (node != null) {
                ql.settle(node);
            }
        }

        /** Removes the current element and moves to the next one in the cursor's direction. */
        public void remove() {
            int before = forward ? -1 : cur.prev(pos);
            int after = cur.delete(pos, 1);
            if (node != null) {
                ql.count--;
                if (cur.size() == 0) {
                    QuickList.Node gone = node;
                    node = forward ? gone.next : gone.prev;
                    ql.unlink(gone);
                    ql.settle(null);
                    if (node == null) {
                        pos = -1;
                    } else {
                        cur = node.lp;
                        pos = forward ? cur.first() : cur.last();
                    }
                    return;
                }
            }
            pos = forward ? after : before;
            if (pos < 0) {
                enterNeighbour();
            }
        }
    }
}
