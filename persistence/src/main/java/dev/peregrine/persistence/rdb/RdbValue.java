package dev.peregrine.persistence.rdb;

import java.util.List;

/**
 * One key's value as read from an RDB file, decoded from whatever encoding the file used into plain elements.
 *
 * <ul>
 * <li>{@link Kind#STRING}: {@link #string()}; integer-encoded strings are given in decimal.</li>
 * <li>{@link Kind#LIST}: {@link #elements()} head to tail.</li>
 * <li>{@link Kind#SET}: {@link #elements()}, distinct, in file order.</li>
 * <li>{@link Kind#HASH}: {@link #elements()} alternating field, value; fields distinct.</li>
 * <li>{@link Kind#ZSET}: {@link #elements()} the members, {@link #scores()} their scores (never NaN).</li>
 * <li>{@link Kind#STREAM}: {@link #stream()}, the whole value with its nodes, counters and consumer groups.</li>
 * </ul>
 * Integers held in compact encodings (ziplist, listpack, intset) are given as their decimal strings, as Redis
 * replies with them. {@link #rdbType()} is the type id of the file ({@link RdbDescriptor}{@code .TYPE_*}).
 *
 * <p>Immutable once built by the reader; the consumer may keep the arrays.
 */
public final class RdbValue {
    /** The data type, whatever its encoding in the file. */
    public enum Kind { STRING, LIST, SET, ZSET, HASH, STREAM }

    private final Kind kind;
    private final int rdbType;
    private final byte[] string;
    private final List<byte[]> elements;
    private final double[] scores;
    private dev.peregrine.storage.stream.StreamValue stream;

    private RdbValue(Kind kind, int rdbType, byte[] string, List<byte[]> elements, double[] scores) {
        this.kind = kind;
        this.rdbType = rdbType;
        this.string = string;
        this.elements = elements;
        this.scores = scores;
    }

    static RdbValue string(byte[] s) {
        return new RdbValue(Kind.STRING, RdbDescriptor.TYPE_STRING, s, List.of(), null);
    }

    static RdbValue collection(Kind kind, int rdbType, List<byte[]> elements) {
        return new RdbValue(kind, rdbType, null, elements, null);
    }

    static RdbValue zset(int rdbType, List<byte[]> members, double[] scores) {
        return new RdbValue(Kind.ZSET, rdbType, null, members, scores);
    }

    static RdbValue stream(int rdbType, dev.peregrine.storage.stream.StreamValue s) {
        RdbValue v = new RdbValue(Kind.STREAM, rdbType, null, List.of(), null);
        v.stream = s;
        return v;
    }

    /** The stream of a {@link Kind#STREAM} value (keyed as read); null for other kinds. */
    public dev.peregrine.storage.stream.StreamValue stream() {
        return stream;
    }

    public Kind kind() {
        return kind;
    }

    /** The type id in the file, e.g. {@link RdbDescriptor#TYPE_HASH_ZIPLIST}. */
    public int rdbType() {
        return rdbType;
    }

    /** The bytes of a string value; null for other kinds. */
    public byte[] string() {
        return string;
    }

    /** Elements of a list, set, hash (field, value, ...) or zset (members); empty for a string. */
    public List<byte[]> elements() {
        return elements;
    }

    /** Scores of a zset, parallel to {@link #elements()}; null for other kinds. */
    public double[] scores() {
        return scores;
    }

    /** Number of elements: list/set/zset members, hash fields; 1 for a string. */
    public int size() {
        return switch (kind) {
            case STRING -> 1;
            case HASH -> elements.size() / 2;
            case STREAM -> (int) Math.min(Integer.MAX_VALUE, stream.length());
            default -> elements.size();
        };
    }
}
