package dev.peregrine.persistence.rdb;

/**
 * Constants of the RDB file format, version 1 to 11 (RDB v11 as written by Redis 7.2; Valkey 7.2 and 8 write the
 * same). See {@code docs/spec/rdb.md} for the prose description.
 *
 * <h2>File layout</h2>
 * <pre>
 *  "REDIS" 4 ASCII digits (version)
 *  { AUX key value | MODULE_AUX ... | FUNCTION2 code | SELECTDB n | RESIZEDB n m
 *    | [EXPIRETIME_MS t8 | EXPIRETIME t4] [IDLE n | FREQ b] type key value }*
 *  EOF  [CRC-64, 8 bytes little-endian, version &gt;= 5; 0 = not computed]
 * </pre>
 *
 * <h2>Lengths</h2>
 * The two high bits of the first byte choose the form: {@code 00} 6-bit length in the byte; {@code 01} 14-bit
 * length, big-endian over the byte's low 6 bits and the next byte; {@code 10} with the byte equal to
 * {@link #LEN_32BIT} a 32-bit and with {@link #LEN_64BIT} a 64-bit big-endian length follows; {@code 11} a special
 * string encoding in the low 6 bits ({@link #ENC_INT8}, {@link #ENC_INT16}, {@link #ENC_INT32}, {@link #ENC_LZF}).
 *
 * <p>Constants only; any thread.
 */
public final class RdbDescriptor {
    private RdbDescriptor() {
    }

    /** The magic string opening every file. */
    public static final byte[] MAGIC = {'R', 'E', 'D', 'I', 'S'};
    /** Bytes of the header: magic plus four version digits. */
    public static final int HEADER_LENGTH = 9;
    /** Oldest version read. */
    public static final int MIN_VERSION = 1;
    /** Newest version read (Redis 7.2, Valkey 7.2 and 8). */
    public static final int MAX_VERSION = 11;
    /** First version whose files end with a CRC-64. */
    public static final int FIRST_VERSION_WITH_CHECKSUM = 5;

    // ---------------------------------------------------------------- opcodes

    /** A function library: its source code as one string (Redis 7.0+). */
    public static final int OPCODE_FUNCTION2 = 0xF5;
    /** The pre-release form of the function record (7.0 release candidates), not supported by Redis 7.0 GA. */
    public static final int OPCODE_FUNCTION_PRE_GA = 0xF6;
    /** Module auxiliary data: module id, when-opcode, when, then the module's serialized values. */
    public static final int OPCODE_MODULE_AUX = 0xF7;
    /** LRU idle time of the next key, in seconds (a length). */
    public static final int OPCODE_IDLE = 0xF8;
    /** LFU counter of the next key (one byte). */
    public static final int OPCODE_FREQ = 0xF9;
    /** An auxiliary field: two strings, name and value. */
    public static final int OPCODE_AUX = 0xFA;
    /** Size hints of the current database: two lengths, keys and keys with an expiry. */
    public static final int OPCODE_RESIZEDB = 0xFB;
    /** Expiry of the next key: unix time in ms, 8 bytes little-endian. */
    public static final int OPCODE_EXPIRETIME_MS = 0xFC;
    /** Expiry of the next key: unix time in seconds, 4 bytes little-endian (legacy). */
    public static final int OPCODE_EXPIRETIME = 0xFD;
    /** Selects the database the following keys belong to (a length). */
    public static final int OPCODE_SELECTDB = 0xFE;
    /** End of the keyspace; the checksum follows. */
    public static final int OPCODE_EOF = 0xFF;

    // ---------------------------------------------------------------- value types

    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    /** Sorted set with scores as length-prefixed decimal strings. */
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    /** Sorted set with scores as 8-byte little-endian binary doubles. */
    public static final int TYPE_ZSET_2 = 5;
    /** Module value of the pre-release format; never readable. */
    public static final int TYPE_MODULE_PRE_GA = 6;
    /** Module value: module id then opcode-tagged serialized values up to a module EOF. */
    public static final int TYPE_MODULE_2 = 7;
    // 8 is not assigned.
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    /** List as a sequence of ziplist nodes. */
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    /** List as a sequence of (container, node) pairs, node PLAIN or PACKED (listpack). */
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_SET_LISTPACK = 20;
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;
    /** Highest type id defined by Redis 7.2. */
    public static final int TYPE_MAX = 21;

    /** Quicklist 2 node container: one element stored as is. */
    public static final int QUICKLIST_NODE_PLAIN = 1;
    /** Quicklist 2 node container: a listpack of elements. */
    public static final int QUICKLIST_NODE_PACKED = 2;

    // ---------------------------------------------------------------- lengths and string encodings

    public static final int LEN_6BIT = 0;
    public static final int LEN_14BIT = 1;
    /** First byte of a 32-bit big-endian length. */
    public static final int LEN_32BIT = 0x80;
    /** First byte of a 64-bit big-endian length. */
    public static final int LEN_64BIT = 0x81;
    /** The two high bits marking a special string encoding. */
    public static final int ENCVAL = 3;
    /** Integer string, 1 byte signed. */
    public static final int ENC_INT8 = 0;
    /** Integer string, 2 bytes signed little-endian. */
    public static final int ENC_INT16 = 1;
    /** Integer string, 4 bytes signed little-endian. */
    public static final int ENC_INT32 = 2;
    /** LZF-compressed string: compressed length, raw length, compressed bytes. */
    public static final int ENC_LZF = 3;

    // ---------------------------------------------------------------- legacy double form (TYPE_ZSET)

    public static final int DOUBLE_NAN = 253;
    public static final int DOUBLE_POS_INF = 254;
    public static final int DOUBLE_NEG_INF = 255;

    // ---------------------------------------------------------------- module serialization opcodes

    public static final int MODULE_OPCODE_EOF = 0;
    public static final int MODULE_OPCODE_SINT = 1;
    public static final int MODULE_OPCODE_UINT = 2;
    public static final int MODULE_OPCODE_FLOAT = 3;
    public static final int MODULE_OPCODE_DOUBLE = 4;
    public static final int MODULE_OPCODE_STRING = 5;
    /** Characters of a module name, indexed by the 6-bit codes packed in a module id. */
    public static final String MODULE_NAME_CHARSET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** The name of a type id for messages, e.g. {@code "hash-ziplist"}; {@code "unknown"} for others. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_STRING -> "string";
            case TYPE_LIST -> "list";
            case TYPE_SET -> "set";
            case TYPE_ZSET -> "zset";
            case TYPE_HASH -> "hash";
            case TYPE_ZSET_2 -> "zset-2";
            case TYPE_MODULE_PRE_GA -> "module-pre-ga";
            case TYPE_MODULE_2 -> "module-2";
            case TYPE_HASH_ZIPMAP -> "hash-zipmap";
            case TYPE_LIST_ZIPLIST -> "list-ziplist";
            case TYPE_SET_INTSET -> "set-intset";
            case TYPE_ZSET_ZIPLIST -> "zset-ziplist";
            case TYPE_HASH_ZIPLIST -> "hash-ziplist";
            case TYPE_LIST_QUICKLIST -> "list-quicklist";
            case TYPE_STREAM_LISTPACKS -> "stream-listpacks";
            case TYPE_HASH_LISTPACK -> "hash-listpack";
            case TYPE_ZSET_LISTPACK -> "zset-listpack";
            case TYPE_LIST_QUICKLIST_2 -> "list-quicklist-2";
            case TYPE_STREAM_LISTPACKS_2 -> "stream-listpacks-2";
            case TYPE_SET_LISTPACK -> "set-listpack";
            case TYPE_STREAM_LISTPACKS_3 -> "stream-listpacks-3";
            default -> "unknown";
        };
    }
}
