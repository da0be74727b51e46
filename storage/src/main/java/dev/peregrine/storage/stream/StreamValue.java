package dev.peregrine.storage.stream;

import dev.peregrine.storage.Numbers;
import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.ValueType;
import dev.peregrine.storage.list.Listpack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A stream key's value (Redis's t_stream.c data model): entries in listpack nodes, each keyed by its master ID in
 * an ordered map, plus the stream's counters and consumer groups.
 *
 * <h2>Node layout</h2>
 * Each node is a {@link Listpack} laid out exactly as a Redis stream listpack, so it is written to and read from
 * RDB as is, and its byte size decides node splits at the same entry as Redis:
 * <pre>
 *   master entry: [count][deleted][num-fields][field 1]...[field n][0]
 *   each entry:   [flags][ms-delta][seq-delta] ( [num-fields][field][value]... | [value]... ) [lp-count]
 *   flags: 1 = deleted, 2 = same fields as the master entry (then only values are stored)
 *   deltas: the entry's ID minus the node's master ID (the map key), per part, wrapping 64-bit
 *   lp-count: the number of listpack elements of the entry before it, for walking backwards
 * </pre>
 * {@code count} is the number of live entries, {@code deleted} of entries flagged deleted; a node whose live
 * count drops to zero is removed. A new node starts when the last one has at least {@code stream-node-max-bytes}
 * listpack bytes counting the new field and value lengths, or {@code stream-node-max-entries} entries counting
 * deleted ones.
 *
 * <h2>Counters</h2>
 * {@code length} live entries; {@code lastId} the largest ID ever added (or set by XSETID); {@code firstId}
 * the first live entry (0-0 when empty); {@code maxDeletedId} the largest ID removed by XDEL;
 * {@code entriesAdded} entries ever appended.
 *
 * <h2>Complexity</h2>
 * Append amortised O(1) plus O(master fields); lookup, delete and range start O(log nodes + node size).
 *
 * <p>Executor-only.
 */
public final class StreamValue extends ObjectEntry {
    public static final int FLAG_DELETED = 1;
    public static final int FLAG_SAMEFIELDS = 2;
    /** Redis's STREAM_LISTPACK_MAX_SIZE: no node grows past 1 GiB. */
    private static final long LISTPACK_MAX_SIZE = 1L << 30;

    private final TreeMap<StreamId, Listpack> nodes = new TreeMap<>();
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    private TreeMap<byte[], ConsumerGroup> groups;

    public StreamValue(byte[] key) {
        super(key);
    }

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public StreamValue copyAs(byte[] newKey) {
        StreamValue s = new StreamValue(newKey);
        for (Map.Entry<StreamId, Listpack> e : nodes.entrySet()) {
            s.nodes.put(e.getKey(), e.getValue().copy());
        }
        s.length = length;
        s.lastId = lastId;
        s.firstId = firstId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        if (groups != null) {
            for (ConsumerGroup g : groups.values()) {
                ConsumerGroup ng = s.createGroup(g.name(), g.lastId, g.entriesRead);
                for (Consumer c : g.consumers.values()) {
                    Consumer nc = ng.createConsumer(c.name(), c.seenTime);
                    nc.activeTime = c.activeTime;
                }
                for (Map.Entry<StreamId, Nack> e : g.pel.entrySet()) {
                    Nack n = e.getValue();
                    Consumer owner = ng.consumer(n.consumer.name());
                    Nack nn = new Nack(owner, n.deliveryTime, n.deliveryCount);
                    ng.pel.put(e.getKey(), nn);
                    owner.pel.put(e.getKey(), nn);
                }
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- counters

    /** Number of live entries. */
    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public StreamId firstId() {
        return firstId;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** XSETID / loading: sets the last ID. */
    public void lastId(StreamId id) {
        this.lastId = id;
    }

    /** XSETID / loading: sets the largest deleted ID. */
    public void maxDeletedId(StreamId id) {
        this.maxDeletedId = id;
    }

    /** XSETID / loading: sets the entries-added counter. */
    public void entriesAdded(long n) {
        this.entriesAdded = n;
    }

    /** Number of listpack nodes (XINFO's radix-tree-keys). */
    public int nodeCount() {
        return nodes.size();
    }

    /** The nodes in ID order, master ID to listpack; read-only for callers (RDB, DEBUG). */
    public NavigableMap<StreamId, Listpack> nodes() {
        return nodes;
    }

    // ---------------------------------------------------------------- IDs

    /**
     * The ID XADD {@code *} would give at Unix ms {@code now}: the time if later than the last ID's, else the
     * last ID plus one; null when the last ID is the largest possible.
     */
    public StreamId autoId(long now) {
        if (Long.compareUnsigned(now, lastId.ms) > 0) {
            return new StreamId(now, 0);
        }
        return lastId.next();
    }

    /** The ID XADD {@code ms-*} would give: null when it would not be greater than the last ID. */
    public StreamId autoSeq(long ms) {
        int c = Long.compareUnsigned(ms, lastId.ms);
        if (c > 0) {
            return new StreamId(ms, 0);
        }
        if (c == 0 && lastId.seq != -1L) {
            return new StreamId(ms, lastId.seq + 1);
        }
        return null;
    }

    // ---------------------------------------------------------------- append

    /**
     * Appends an entry; {@code id} must be greater than {@link #lastId()} (the caller checks it).
     *
     * @param fieldsValues field, value, field, value, ... (at least one pair)
     * @param nodeMaxBytes {@code stream-node-max-bytes} (0 = no limit but 1 GiB)
     * @param nodeMaxEntries {@code stream-node-max-entries} (0 = no limit)
     */
    public void append(StreamId id, byte[][] fieldsValues, long nodeMaxBytes, long nodeMaxEntries) {
        int numFields = fieldsValues.length / 2;
        Map.Entry<StreamId, Listpack> tail = nodes.lastEntry();
        Listpack lp = tail == null ? null : tail.getValue();
        StreamId master = tail == null ? null : tail.getKey();
        if (lp != null) {
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : nodeMaxBytes;
            long total = 0;
            for (byte[] b : fieldsValues) {
                total += b.length;
            }
            if (lp.bytes() + total >= maxBytes) {
                lp = null;
            } else if (nodeMaxEntries != 0) {
                int p = lp.first();
                long count = lp.intValue(p) + lp.intValue(lp.next(p));
                if (count >= nodeMaxEntries) {
                    lp = null;
                }
            }
        }
        int flags = 0;
        if (lp == null) {
            lp = new Listpack();
            master = id;
            appendInt(lp, 1);
            appendInt(lp, 0);
            appendInt(lp, numFields);
            for (int i = 0; i < numFields; i++) {
                lp.append(fieldsValues[2 * i]);
            }
            appendInt(lp, 0);
            nodes.put(id, lp);
            flags |= FLAG_SAMEFIELDS;
        } else {
            int p = lp.first();
            lp.replace(p, Numbers.toBytes(lp.intValue(p) + 1));
            p = lp.next(lp.next(p));
            long masterFields = lp.intValue(p);
            if (masterFields == numFields) {
                boolean same = true;
                for (int i = 0; i < numFields && same; i++) {
                    p = lp.next(p);
                    byte[] f = fieldsValues[2 * i];
                    same = lp.matches(p, f, Listpack.Element.asInt(f));
                }
                if (same) {
                    flags |= FLAG_SAMEFIELDS;
                }
            }
        }
        appendInt(lp, flags);
        appendInt(lp, id.ms - master.ms);
        appendInt(lp, id.seq - master.seq);
        if ((flags & FLAG_SAMEFIELDS) == 0) {
            appendInt(lp, numFields);
            for (byte[] b : fieldsValues) {
                lp.append(b);
            }
        } else {
            for (int i = 0; i < numFields; i++) {
                lp.append(fieldsValues[2 * i + 1]);
            }
        }
        long lpCount = numFields + 3;
        if ((flags & FLAG_SAMEFIELDS) == 0) {
            lpCount += numFields + 1;
        }
        appendInt(lp, lpCount);
        if (length == 0) {
            firstId = id;
        }
        length++;
        entriesAdded++;
        lastId = id;
    }

    private static void appendInt(Listpack lp, long v) {
        lp.append(Numbers.toBytes(v));
    }

    private static long intAt(Listpack lp, int p) {
        if (lp.isInt(p)) {
            return lp.intValue(p);
        }
        byte[] b = lp.get(p);
        return Numbers.parseLong(b, 0, b.length);
    }

    // ---------------------------------------------------------------- node walking

    /** One node's decoded layout: master fields and the position of each entry's flags. */
    private static final class NodeView {
        final Listpack lp;
        final StreamId master;
        final byte[][] masterFields;
        final int[] entryPos;
        final int entries;

        NodeView(StreamId master, Listpack lp) {
            this.lp = lp;
            this.master = master;
            int p = lp.first();
            long count = intAt(lp, p);
            p = lp.next(p);
            long deleted = intAt(lp, p);
            p = lp.next(p);
            int mf = (int) intAt(lp, p);
            masterFields = new byte[mf][];
            for (int i = 0; i < mf; i++) {
                p = lp.next(p);
                masterFields[i] = lp.get(p);
            }
            p = lp.next(p); // master terminator
            p = lp.next(p);
            int n = (int) (count + deleted);
            int[] pos = new int[Math.min(Math.max(n, 4), 1024)]; // grows as needed; the header may lie
            int k = 0;
            while (p >= 0) {
                if (k == pos.length) {
                    pos = Arrays.copyOf(pos, k * 2);
                }
                pos[k++] = p;
                long flags = intAt(lp, p);
                p = lp.next(lp.next(lp.next(p)));
                int skip;
                if ((flags & FLAG_SAMEFIELDS) != 0) {
                    skip = mf;
                } else {
                    skip = (int) intAt(lp, p) * 2;
                    p = lp.next(p);
                }
                for (int i = 0; i < skip; i++) {
                    p = lp.next(p);
                }
                p = lp.next(p); // lp-count
            }
            entryPos = pos;
            entries = k;
        }

        long flags(int i) {
            return intAt(lp, entryPos[i]);
        }

        StreamId id(int i) {
            int p = lp.next(entryPos[i]);
            long msd = intAt(lp, p);
            long seqd = intAt(lp, lp.next(p));
            return new StreamId(master.ms + msd, master.seq + seqd);
        }

        byte[][] fields(int i) {
            int p = entryPos[i];
            long flags = intAt(lp, p);
            p = lp.next(lp.next(lp.next(p)));
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                byte[][] out = new byte[masterFields.length * 2][];
                for (int f = 0; f < masterFields.length; f++) {
                    out[2 * f] = masterFields[f];
                    out[2 * f + 1] = lp.get(p);
                    p = lp.next(p);
                }
                return out;
            }
            int nf = (int) intAt(lp, p);
            byte[][] out = new byte[nf * 2][];
            for (int f = 0; f < nf * 2; f++) {
                p = lp.next(p);
                out[f] = lp.get(p);
            }
            return out;
        }
    }

    /** Receives entries of a range walk; returns false to stop. */
    @FunctionalInterface
    public interface EntryVisitor {
        boolean visit(StreamId id, byte[][] fieldsValues);
    }

    /**
     * Visits the live entries with {@code start <= id <= end}, ascending, or descending when {@code rev}, until
     * the visitor returns false.
     */
    public void range(StreamId start, StreamId end, boolean rev, EntryVisitor v) {
        if (length == 0 || start.compareTo(end) > 0) {
            return;
        }
        if (!rev) {
            StreamId from = nodes.floorKey(start);
            for (Map.Entry<StreamId, Listpack> e : nodes.tailMap(from == null ? start : from, true).entrySet()) {
                if (e.getKey().compareTo(end) > 0) {
                    return;
                }
                NodeView nv = new NodeView(e.getKey(), e.getValue());
                for (int i = 0; i < nv.entries; i++) {
                    if ((nv.flags(i) & FLAG_DELETED) != 0) {
                        continue;
                    }
                    StreamId id = nv.id(i);
                    if (id.compareTo(start) < 0) {
                        continue;
                    }
                    if (id.compareTo(end) > 0) {
                        return;
                    }
                    if (!v.visit(id, nv.fields(i))) {
                        return;
                    }
                }
            }
        } else {
            for (Map.Entry<StreamId, Listpack> e : nodes.headMap(end, true).descendingMap().entrySet()) {
                NodeView nv = new NodeView(e.getKey(), e.getValue());
                for (int i = nv.entries - 1; i >= 0; i--) {
                    if ((nv.flags(i) & FLAG_DELETED) != 0) {
                        continue;
                    }
                    StreamId id = nv.id(i);
                    if (id.compareTo(end) > 0) {
                        continue;
                    }
                    if (id.compareTo(start) < 0) {
                        return;
                    }
                    if (!v.visit(id, nv.fields(i))) {
                        return;
                    }
                }
            }
        }
    }

    /** The fields and values of the live entry {@code id}, or null. */
    public byte[][] get(StreamId id) {
        byte[][][] out = new byte[1][][];
        range(id, id, false, (i, fv) -> {
            out[0] = fv;
            return false;
        });
        return out[0];
    }

    /** The first live entry's ID (ascending) or the last one's, or null when empty. */
    public StreamId edgeId(boolean first) {
        StreamId[] out = new StreamId[1];
        range(StreamId.MIN, StreamId.MAX, !first, (i, fv) -> {
            out[0] = i;
            return false;
        });
        return out[0];
    }

    /**
     * The first entry's ID counting deleted ones still in their node (what Redis writes back into a trimmed
     * XADD/XTRIM MINID), or {@link StreamId#MAX} when there are no nodes.
     */
    public StreamId firstIdWithTombstones() {
        Map.Entry<StreamId, Listpack> e = nodes.firstEntry();
        if (e == null) {
            return StreamId.MAX;
        }
        NodeView nv = new NodeView(e.getKey(), e.getValue());
        return nv.entries == 0 ? StreamId.MAX : nv.id(0);
    }

    // ---------------------------------------------------------------- deletion

    /**
     * XDEL of one ID: flags the entry deleted (removing its node when it was the node's last live entry) and
     * updates the first ID and the largest deleted ID.
     *
     * @return whether a live entry was deleted
     */
    public boolean delete(StreamId id) {
        Map.Entry<StreamId, Listpack> e = nodes.floorEntry(id);
        if (e == null) {
            return false;
        }
        NodeView nv = new NodeView(e.getKey(), e.getValue());
        for (int i = 0; i < nv.entries; i++) {
            long flags = nv.flags(i);
            if ((flags & FLAG_DELETED) != 0 || !nv.id(i).equals(id)) {
                continue;
            }
            Listpack lp = e.getValue();
            int p = lp.first();
            long count = intAt(lp, p);
            if (count == 1) {
                nodes.remove(e.getKey());
            } else {
                lp.replace(nv.entryPos[i], Numbers.toBytes(flags | FLAG_DELETED));
                p = lp.first();
                lp.replace(p, Numbers.toBytes(count - 1));
                p = lp.next(p);
                lp.replace(p, Numbers.toBytes(intAt(lp, p) + 1));
            }
            length--;
            if (id.compareTo(maxDeletedId) > 0) {
                maxDeletedId = id;
            }
            if (length == 0) {
                firstId = StreamId.MIN;
            } else if (id.equals(firstId)) {
                firstId = edgeId(true);
            }
            return true;
        }
        return false;
    }

    /**
     * Trims as Redis's streamTrim: whole nodes from the head while they fit the bound; with {@code approx} it
     * stops at the first node it cannot drop whole, otherwise it flags entries deleted inside that node.
     *
     * @param minIdStrategy true for MINID (entries below {@code minId} go), false for MAXLEN ({@code maxLen})
     * @param limit at most this many entries are removed (0 = no limit); whole nodes only
     * @return the number of entries removed
     */
    public long trim(boolean minIdStrategy, long maxLen, StreamId minId, boolean approx, long limit) {
        long deleted = 0;
        Iterator<Map.Entry<StreamId, Listpack>> it = nodes.entrySet().iterator();
        while (it.hasNext()) {
            if (!minIdStrategy && length <= maxLen) {
                break;
            }
            Map.Entry<StreamId, Listpack> e = it.next();
            Listpack lp = e.getValue();
            long entries = intAt(lp, lp.first());
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            NodeView nv = new NodeView(e.getKey(), lp);
            boolean removeNode;
            if (!minIdStrategy) {
                removeNode = length - entries >= maxLen;
            } else {
                StreamId last = nv.entries == 0 ? e.getKey() : nv.id(nv.entries - 1);
                removeNode = last.compareTo(minId) < 0;
            }
            if (removeNode) {
                it.remove();
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            long fromNode = 0;
            for (int i = 0; i < nv.entries; i++) {
                boolean stop = !minIdStrategy ? length <= maxLen : nv.id(i).compareTo(minId) >= 0;
                if (stop) {
                    break;
                }
                long flags = nv.flags(i);
                if ((flags & FLAG_DELETED) == 0) {
                    lp.replace(nv.entryPos[i], Numbers.toBytes(flags | FLAG_DELETED));
                    fromNode++;
                    length--;
                }
            }
            deleted += fromNode;
            int p = lp.first();
            lp.replace(p, Numbers.toBytes(entries - fromNode));
            p = lp.next(p);
            lp.replace(p, Numbers.toBytes(intAt(lp, p) + fromNode));
            break;
        }
        if (length > 0) {
            firstId = edgeId(true);
        } else {
            firstId = StreamId.MIN;
        }
        return deleted;
    }

    // ---------------------------------------------------------------- consumer groups

    /** The groups by name (unsigned byte order), empty when none. */
    public Collection<ConsumerGroup> groups() {
        return groups == null ? List.of() : groups.values();
    }

    /** Number of consumer groups. */
    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    /** The group with this name, or null. */
    public ConsumerGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** Creates a group; null when one with that name exists. */
    public ConsumerGroup createGroup(byte[] name, StreamId lastId, long entriesRead) {
        if (groups == null) {
            groups = new TreeMap<>(Arrays::compareUnsigned);
        }
        if (groups.containsKey(name)) {
            return null;
        }
        ConsumerGroup g = new ConsumerGroup(name, lastId, entriesRead);
        groups.put(name, g);
        return g;
    }

    /** Removes a group; whether it existed. */
    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    // ---------------------------------------------------------------- lag (Redis 7.2)

    /** Whether a deleted entry may lie in {@code [start, end]} (null = open), judged by the largest deleted ID. */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedId.isZero()) {
            return false;
        }
        if (firstId.compareTo(maxDeletedId) > 0) {
            return false;
        }
        StreamId s = start == null ? StreamId.MIN : start;
        StreamId e = end == null ? StreamId.MAX : end;
        return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
    }

    /**
     * The logical read counter of {@code id} (its distance from the first entry ever added) when it can be known,
     * else {@link ConsumerGroup#INVALID_ENTRIES_READ}.
     */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return ConsumerGroup.INVALID_ENTRIES_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return ConsumerGroup.INVALID_ENTRIES_READ;
    }

    /** {@link #lag}'s answer when the lag cannot be known (XINFO answers null). */
    public static final long LAG_UNKNOWN = Long.MIN_VALUE;

    /**
     * The group's lag (entries added minus the group's entries read), or {@link #LAG_UNKNOWN}. It can be negative
     * when XSETID ENTRIESADDED or XGROUP SETID ENTRIESREAD left the group's counter above the stream's, and XINFO
     * then answers that negative number, as Redis does.
     */
    public long lag(ConsumerGroup g) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId, null)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(g.lastId);
        return read == ConsumerGroup.INVALID_ENTRIES_READ ? LAG_UNKNOWN : entriesAdded - read;
    }

    // ---------------------------------------------------------------- loading

    /**
     * Adds a node read from an RDB file (master ID and a Redis stream listpack's elements), after checking its
     * layout; the counters are set separately.
     *
     * @throws IllegalArgumentException when the node is malformed
     */
    public void loadNode(StreamId master, Listpack lp) {
        if (lp.size() < 5) {
            throw new IllegalArgumentException("stream node too short");
        }
        if (!nodes.isEmpty() && master.compareTo(nodes.lastKey()) <= 0) {
            throw new IllegalArgumentException("stream nodes out of order");
        }
        NodeView nv;
        try {
            nv = new NodeView(master, lp);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed stream node", e);
        }
        long live = 0;
        for (int i = 0; i < nv.entries; i++) {
            if ((nv.flags(i) & FLAG_DELETED) == 0) {
                live++;
            }
        }
        if (live != intAt(lp, lp.first()) || live == 0) {
            throw new IllegalArgumentException("stream node entry count mismatch");
        }
        nodes.put(master, lp);
        length += live;
    }

    /** After loading nodes: recomputes the first ID from the entries. */
    public void loadFinished() {
        StreamId f = edgeId(true);
        firstId = f == null ? StreamId.MIN : f;
    }

    /** All live entry IDs, ascending (tests, DEBUG). */
    public List<StreamId> ids() {
        List<StreamId> out = new ArrayList<>();
        range(StreamId.MIN, StreamId.MAX, false, (i, fv) -> out.add(i));
        return out;
    }
}
