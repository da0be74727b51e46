package dev.peregrine.storage.list;

/**
 * A list as a doubly linked chain of {@link Listpack} nodes, each bounded by {@code list-max-listpack-size}
 * ({@code fill}): a negative fill limits a node's bytes (-1 = 4 KB, -2 = 8 KB, -3 = 16 KB, -4 = 32 KB,
 * -5 = 64 KB), a positive one its element count (with a node's bytes still kept within the 8 KB safety limit).
 *
 * <h2>Memory layout</h2>
 * <pre>
 *  QuickList{head, tail, nodes, count, fill}
 *      head                                              tail
 *       v                                                 v
 *     Node{lp, prev=null, next} &lt;-&gt; Node{lp, prev, next} &lt;-&gt; ... Node{lp, prev, next=null}
 *       |                          |
 *     Listpack[e0 e1 ... ]       Listpack[ ... ]
 * </pre>
 * When a push at one end starts a new end node, the node it could not join is full: its listpack drops its
 * spare capacity ({@link Listpack#trimToSize()}), so a list built by pushes holds its nodes at their exact size.
 * An element too large for a node (larger than the node byte limit, or than 8 KB with a count fill) gets a node
 * of its own marked {@code plain}, which never takes other elements, as Redis 7.2's plain nodes.
 *
 * <p>Invariants: no node is empty; {@code count} is the sum of the nodes' sizes; {@code nodes} is the chain's
 * length; a packed node holding more than one element respects the fill limit (an insert that would break it
 * goes to a neighbour, a new node, or splits the node).
 *
 * <p>Complexity with n elements in m nodes of at most k elements: push/pop at either end O(k) worst (O(1) amortised
 * at the tail of a node); access by index O(m + k); insert/replace by index O(m + node bytes); deleting a range
 * of r elements O(m + r·k).
 *
 * <h2>Compression</h2>
 * With {@code compressDepth} d &gt; 0 ({@code list-compress-depth}) and at least 2d nodes, every node but the d
 * nearest each end is held LZF-compressed ({@link Listpack#compress()}); an operation that touches an interior
 * node decompresses it and compresses it again afterwards ({@link #settle}), as Redis does. Nodes under 48 bytes,
 * or that compress poorly, stay plain.
 *
 * <p>Not thread-safe; executor-only.
 */
public final class QuickList {
    /** Node byte limits for fill -1 .. -5. */
    private static final int[] SIZE_LEVELS = {4096, 8192, 16384, 32768, 65536};
    /** With a count fill, a node still stays within this many bytes. */
    static final int SIZE_SAFETY_LIMIT = 8192;
    /** The over-estimate of an entry's overhead when checking whether it fits a node. */
    private static final int SIZE_ESTIMATE_OVERHEAD = 8;

    /** One link of the chain. */
    static final class Node {
        Listpack lp;
        Node prev;
        Node next;
        /** Holds one element too large for a packed node; takes no other element. */
        boolean plain;

        Node(Listpack lp) {
            this.lp = lp;
        }
    }

    Node head;
    Node tail;
    int nodes;
    long count;
    private final int fill;
    private final int compressDepth;

    public QuickList(int fill) {
        this(fill, 0);
    }

    /**
     * @param fill          {@code list-max-listpack-size}
     * @param compressDepth {@code list-compress-depth}: nodes kept plain at each end, 0 = no compression
     */
    public QuickList(int fill, int compressDepth) {
        this.fill = fill;
        this.compressDepth = compressDepth;
    }

    /** A quicklist whose single node is {@code lp} (which it takes over), for the listpack→quicklist switch. */
    public QuickList(int fill, int compressDepth, Listpack lp) {
        this(fill, compressDepth);
        if (lp.size() > 0) {
            linkAfter(null, new Node(lp));
            count = lp.size();
        }
    }

    public long size() {
        return count;
    }

    /** Number of nodes. */
    public int nodeCount() {
        return nodes;
    }

    public int fill() {
        return fill;
    }

    public int compressDepth() {
        return compressDepth;
    }

    /** How many nodes are held compressed now (for diagnostics and tests). O(m). */
    public int compressedNodeCount() {
        int n = 0;
        for (Node x = head; x != null; x = x.next) {
            if (x.lp.isCompressed()) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ compression

    /**
     * Restores the compression invariant after an operation that touched {@code touched} (may be null or
     * unlinked): the d nodes at each end plain, the node just inside each of them and {@code touched} compressed
     * when interior. O(d + node bytes).
     */
    void settle(Node touched) {
        int d = compressDepth;
        if (d <= 0 || nodes < d * 2) {
            return;
        }
        Node f = head;
        Node b = tail;
        boolean touchedAtEnd = false;
        for (int i = 0; i < d; i++) {
            f.lp.decompress();
            b.lp.decompress();
            touchedAtEnd |= f == touched || b == touched;
            f = f.next;
            b = b.prev;
        }
        if (nodes > d * 2) {
            // f and b are the first interior nodes from each side (possibly the same one)
            f.lp.compress();
            b.lp.compress();
            if (touched != null && !touchedAtEnd && (touched.prev != null || touched == head)) {
                touched.lp.compress();
            }
        }
    }

    // ------------------------------------------------------------------ limits (Redis 7.2 semantics)

    /** The node byte limit for {@code fill}, or {@link Long#MAX_VALUE} when fill limits counts. */
    public static long sizeLimit(int fill) {
        if (fill >= 0) {
            return Long.MAX_VALUE;
        }
        int offset = Math.min(-fill - 1, SIZE_LEVELS.length - 1);
        return SIZE_LEVELS[offset];
    }

    /** The node element limit for {@code fill}, or {@link Long#MAX_VALUE} when fill limits bytes. */
    public static long countLimit(int fill) {
        if (fill >= 0) {
            return fill == 0 ? 1 : fill;
        }
        return Long.MAX_VALUE;
    }

    /** Whether a listpack of {@code bytes} bytes and {@code elements} elements would exceed the fill limit. */
    public static boolean exceedsLimit(int fill, long bytes, long elements) {
        if (fill < 0) {
            return bytes > sizeLimit(fill);
        }
        if (bytes > SIZE_SAFETY_LIMIT) {
            return true;
        }
        return elements > countLimit(fill);
    }

    /** Whether an element of {@code len} bytes goes into a plain node of its own. */
    static boolean isLarge(int len, int fill) {
        if (fill >= 0) {
            return len > SIZE_SAFETY_LIMIT;
        }
        return len > sizeLimit(fill);
    }

    private boolean allowInsert(Node n, int len) {
        if (n == null || n.plain || isLarge(len, fill)) {
            return false;
        }
        return !exceedsLimit(fill, (long) n.lp.bytes() + len + SIZE_ESTIMATE_OVERHEAD, n.lp.size() + 1L);
    }

    // ------------------------------------------------------------------ linking

    /** Links {@code n} after {@code at} ({@code at == null}: as the new head). */
    private void linkAfter(Node at, Node n) {
        if (at == null) {
            n.next = head;
            if (head != null) {
                head.prev = n;
            } else {
                tail = n;
            }
            head = n;
        } else {
            n.prev = at;
            n.next = at.next;
            if (at.next != null) {
                at.next.prev = n;
            } else {
                tail = n;
            }
            at.next = n;
        }
        nodes++;
    }

    void unlink(Node n) {
        if (n.prev != null) {
            n.prev.next = n.next;
        } else {
            head = n.next;
        }
        if (n.next != null) {
            n.next.prev = n.prev;
        } else {
            tail = n.prev;
        }
        n.prev = null;
        n.next = null;
        nodes--;
    }

    private Node newNode(byte[] v) {
        Listpack lp = new Listpack();
        lp.append(v);
        Node n = new Node(lp);
        n.plain = isLarge(v.length, fill);
        return n;
    }

    // ------------------------------------------------------------------ ends

    /** Adds {@code v} as the first element. */
    public void pushHead(byte[] v) {
        if (allowInsert(head, v.length)) {
            head.lp.prepend(v);
        } else {
            if (head != null) {
                head.lp.trimToSize();
            }
            linkAfter(null, newNode(v));
        }
        count++;
        settle(null);
    }

    /** Adds {@code v} as the last element. */
    public void pushTail(byte[] v) {
        if (allowInsert(tail, v.length)) {
            tail.lp.append(v);
        } else {
            if (tail != null) {
                tail.lp.trimToSize();
            }
            linkAfter(tail, newNode(v));
        }
        count++;
        settle(null);
    }

    /** Removes and returns the first element, or null when empty. */
    public byte[] popHead() {
        if (head == null) {
            return null;
        }
        Node n = head;
        byte[] v = n.lp.popFirst();
        if (n.lp.size() == 0) {
            unlink(n);
            settle(null);
        }
        count--;
        return v;
    }

    /** Removes and returns the last element, or null when empty. */
    public byte[] popTail() {
        if (tail == null) {
            return null;
        }
        Node n = tail;
        byte[] v = n.lp.popLast();
        if (n.lp.size() == 0) {
            unlink(n);
            settle(null);
        }
        count--;
        return v;
    }

    // ------------------------------------------------------------------ by index

    /** Where an index lives: a node and the index inside it. */
    static final class Spot {
        Node node;
        int local;
    }

    /** Finds element {@code index} (0-based, {@code 0 <= index < size}), walking from the nearer end. O(m). */
    Spot locate(long index, Spot out) {
        if (index < count / 2) {
            Node n = head;
            long skipped = 0;
            while (skipped + n.lp.size() <= index) {
                skipped += n.lp.size();
                n = n.next;
            }
            out.node = n;
            out.local = (int) (index - skipped);
        } else {
            Node n = tail;
            long start = count - n.lp.size();
            while (start > index) {
                n = n.prev;
                start -= n.lp.size();
            }
            out.node = n;
            out.local = (int) (index - start);
        }
        return out;
    }

    /** A copy of element {@code index} ({@code 0 <= index < size}). */
    public byte[] get(long index) {
        Spot s = locate(index, new Spot());
        byte[] v = s.node.lp.get(s.node.lp.seek(s.local));
        settle(s.node);
        return v;
    }

    /** Inserts {@code v} before element {@code index}; {@code index == size} appends. */
    public void insert(long index, byte[] v) {
        if (index >= count) {
            pushTail(v);
            return;
        }
        if (index == 0) {
            pushHead(v);
            return;
        }
        Spot s = locate(index, new Spot());
        insertAt(s.node, s.local, v);
        settle(s.node);
    }

    /** Inserts {@code v} before local element {@code i} of {@code n}. */
    void insertAt(Node n, int i, byte[] v) {
        count++;
        if (allowInsert(n, v.length)) {
            n.lp.insert(n.lp.seek(i), v);
            return;
        }
        if (i == 0) {
            if (allowInsert(n.prev, v.length)) {
                n.prev.lp.append(v);
            } else {
                linkAfter(n.prev, newNode(v));
            }
            settle(n.prev);
            return;
        }
        // split n at i: n keeps [0, i), a new node takes [i, size)
        Node rest = new Node(n.lp.split(i));
        linkAfter(n, rest);
        if (allowInsert(n, v.length)) {
            n.lp.append(v);
        } else if (allowInsert(rest, v.length)) {
            rest.lp.prepend(v);
        } else {
            linkAfter(n, newNode(v));
        }
        settle(rest);
        settle(n.next);
    }

    /** Replaces element {@code index} ({@code 0 <= index < size}) by {@code v}. */
    public void replace(long index, byte[] v) {
        Spot s = locate(index, new Spot());
        Node n = s.node;
        if (!n.plain && !isLarge(v.length, fill)) {
            int p = n.lp.seek(s.local);
            long newBytes = (long) n.lp.bytes() - Listpack.entryBytes(n.lp.get(p)) + Listpack.entryBytes(v);
            if (n.lp.size() == 1 || !exceedsLimit(fill, newBytes, n.lp.size())) {
                n.lp.replace(p, v);
                settle(n);
                return;
            }
        }
        deleteRange(index, 1);
        insert(index, v);
    }

    /** Removes {@code n} elements from {@code start} on ({@code 0 <= start}, {@code start + n <= size}). */
    public void deleteRange(long start, long n) {
        if (n <= 0) {
            return;
        }
        Spot s = locate(start, new Spot());
        Node node = s.node;
        int local = s.local;
        while (n > 0 && node != null) {
            int here = (int) Math.min(n, node.lp.size() - local);
            Node next = node.next;
            if (local == 0 && here == node.lp.size()) {
                unlink(node); // whole node: no need to decompress it
            } else {
                node.lp.delete(node.lp.seek(local), here);
                settle(node);
            }
            n -= here;
            count -= here;
            node = next;
            local = 0;
        }
        settle(null);
    }

    /** Removes and returns the only node's listpack (for the quicklist→listpack switch); the list is then empty. */
    Listpack takeOnlyListpack() {
        Listpack lp = head.lp;
        lp.decompress();
        head = tail = null;
        nodes = 0;
        count = 0;
        return lp;
    }

    /** Receives the nodes of a quicklist in order, head first ({@link #forEachNode}). */
    public interface NodeVisitor {
        /**
         * One node: {@code lp} holds its elements (read it without modifying it); {@code plain} marks a node
         * holding one large element on its own (Redis's PLAIN container), otherwise it is a packed listpack.
         */
        void node(Listpack lp, boolean plain);
    }

    /** Visits every node head to tail; the visitor must not modify the list. O(m). */
    public void forEachNode(NodeVisitor visitor) {
        for (Node n = head; n != null; n = n.next) {
            visitor.node(n.lp, n.plain);
        }
    }

    /** A deep copy. */
    public QuickList copy() {
        QuickList q = new QuickList(fill, compressDepth);
        for (Node n = head; n != null; n = n.next) {
            Node c = new Node(n.lp.copy());
            c.plain = n.plain;
            q.linkAfter(q.tail, c);
        }
        q.count = count;
        return q;
    }
}
