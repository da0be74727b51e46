package dev.peregrine.persistence.rdb;

import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.ObjectEntry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.hash.HashLimits;
import dev.peregrine.storage.hash.HashValue;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.set.SetLimits;
import dev.peregrine.storage.set.SetValue;
import dev.peregrine.storage.zset.ZSetLimits;
import dev.peregrine.storage.zset.ZSetValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads an RDB file into fresh {@link Database}s, building keyspace entries as the server's commands would:
 * strings as {@link StringEntry}, lists as {@link ListValue} (listpack, or quicklist past
 * {@code list-max-listpack-size}), hashes as {@link HashValue} and sets as {@link SetValue}, each converted to its
 * larger encoding by the configured thresholds ({@link Options}).
 *
 * <p>As Redis on a primary, keys whose expiry has already passed are not loaded, and keys with no element are
 * skipped with a warning. The databases are handed over only when the whole file parsed and its checksum matched:
 * a corrupt or truncated file raises {@link RdbFormatException} and nothing is loaded. Streams and module values
 * are refused by the reader.
 *
 * <p>Single-threaded: call {@link #load} from one thread; the returned databases are then owned by the caller
 * (the executor, once installed).
 */
public final class RdbLoader {
    private static final Logger LOG = LoggerFactory.getLogger(RdbLoader.class);

    /**
     * The server settings that shape the loaded values.
     *
     * @param databases number of databases ({@code databases}); a SELECTDB beyond is refused
     * @param listFill {@code list-max-listpack-size}
     * @param listCompressDepth {@code list-compress-depth}
     * @param hashLimits {@code hash-max-listpack-entries} and {@code hash-max-listpack-value}
     * @param setLimits {@code set-max-intset-entries}, {@code set-max-listpack-entries}, {@code -value}
     * @param zsetLimits {@code zset-max-listpack-entries} and {@code zset-max-listpack-value}
     */
    public record Options(int databases, int listFill, int listCompressDepth, HashLimits hashLimits,
                          SetLimits setLimits, ZSetLimits zsetLimits) {
        /** Redis 7.2's defaults: 16 databases, fill -2, no compression, default hash, set and zset limits. */
        public static final Options DEFAULTS = new Options(16, -2, 0, HashLimits.DEFAULTS, SetLimits.DEFAULTS,
                                                           ZSetLimits.DEFAULTS);
    }

    /**
     * What a successful load produced.
     *
     * @param databases the filled databases, index = database id, {@link Options#databases()} of them
     * @param version the file's RDB version
     * @param aux the AUX fields in file order (name to value, ISO-8859-1 strings)
     * @param functions the function libraries' source code, in file order
     * @param keysLoaded keys put in the databases
     * @param expiredSkipped keys not loaded because their expiry had passed
     * @param emptySkipped keys not loaded because they held no element
     * @param checksumVerified whether a non-zero CRC-64 was present and matched
     * @param endOffset the offset just after the file's checksum, in bytes (where an AOF's commands follow an
     *        RDB preamble)
     */
    public record Result(Database[] databases, int version, Map<String, String> aux, List<byte[]> functions,
                         long keysLoaded, long expiredSkipped, long emptySkipped, boolean checksumVerified,
                         long endOffset) {
    }

    private final Options options;
    private final long nowMs;
    private final int accessClock;

    /**
     * @param options settings shaping the values
     * @param nowMs unix time in ms against which expiries are judged
     * @param accessClock the access clock stamped on every loaded entry
     */
    public RdbLoader(Options options, long nowMs, int accessClock) {
        this.options = options;
        this.nowMs = nowMs;
        this.accessClock = accessClock;
    }

    /**
     * Reads the whole of {@code in} (the caller buffers nothing and closes it) and returns the filled databases.
     *
     * @throws RdbFormatException the file is corrupt, truncated or holds what cannot be loaded; nothing was loaded
     * @throws IOException the stream failed
     */
    public Result load(InputStream in) throws IOException {
        RdbReader reader = new RdbReader(in);
        Builder b = new Builder(reader);
        reader.read(b);
        if (!b.ended) {
            throw new RdbFormatException(reader.offset(), "the file ended without an EOF record");
        }
        return new Result(b.dbs, reader.version(), Collections.unmodifiableMap(b.aux),
                          Collections.unmodifiableList(b.functions), b.loaded, b.expired, b.empty, b.verified,
                          reader.offset());
    }

    private final class Builder implements RdbVisitor {
        final RdbReader reader;
        final Database[] dbs = new Database[options.databases()];
        final Map<String, String> aux = new LinkedHashMap<>();
        final List<byte[]> functions = new ArrayList<>();
        long loaded;
        long expired;
        long empty;
        boolean ended;
        boolean verified;

        Builder(RdbReader reader) {
            this.reader = reader;
            for (int i = 0; i < dbs.length; i++) {
                dbs[i] = new Database(i);
            }
        }

        @Override
        public void onAux(byte[] name, byte[] value) {
            aux.put(latin1(name), latin1(value));
        }

        @Override
        public void onFunction(byte[] code) {
            functions.add(code);
        }

        @Override
        public void onModuleAuxSkipped(String moduleName, int encodingVersion) {
            LOG.warn("RDB: skipped the aux data of module '{}' (encoding version {}): modules are not supported",
                     moduleName, encodingVersion);
        }

        @Override
        public void onSelectDb(long db) throws RdbFormatException {
            if (db < 0 || db >= dbs.length) {
                throw new RdbFormatException(reader.offset(), "the file selects database " + Long.toUnsignedString(db)
                                                 + " but this server has " + dbs.length + " databases");
            }
        }

        @Override
        public void onEmptyKeySkipped(long db, byte[] key, int rdbType) {
            empty++;
            if (empty <= 10) {
                LOG.warn("RDB: skipping empty key \"{}\" ({}) in db {}", RdbReader.printable(key),
                         RdbDescriptor.typeName(rdbType), db);
            }
        }

        @Override
        public void onKey(long db, byte[] key, long expireAtMs, RdbValue value) throws IOException {
            if (expireAtMs != -1 && expireAtMs < nowMs) {
                expired++;
                return;
            }
            Database d = dbs[(int) db];
            if (d.peek(key) != null) {
                throw new RdbFormatException(reader.keyOffset(), "duplicate key \"" + RdbReader.printable(key)
                                                                 + "\" in database " + db);
            }
            d.put(key, entry(key, value, expireAtMs == -1 ? Entry.NO_EXPIRE : expireAtMs));
            loaded++;
        }

        @Override
        public void onEnd(boolean checksumVerified) {
            ended = true;
            verified = checksumVerified;
        }
    }

    /**
     * The keyspace entry for one value read from an RDB file or a DUMP payload, built as {@link #load} builds
     * it: encodings chosen by the {@link Options}, the access clock given at construction.
     *
     * @param expireAt unix time in ms, or {@link Entry#NO_EXPIRE}
     * @return a {@link StringEntry} array or an {@link ObjectEntry} (not yet in any database)
     */
    public Object entry(byte[] key, RdbValue value, long expireAt) {
        Object entry = switch (value.kind()) {
            case STRING -> StringEntry.create(key, value.string(), expireAt, accessClock);
            case LIST -> list(key, value.elements());
            case HASH -> hash(key, value.elements());
            case SET -> set(key, value.elements());
            case ZSET -> zset(key, value.elements(), value.scores());
            case STREAM -> Database.rekey(value.stream(), key);
        };
        if (entry instanceof ObjectEntry o && expireAt != Entry.NO_EXPIRE) {
            Database.expireAt(o, expireAt);
        }
        return entry;
    }

    private ListValue list(byte[] key, List<byte[]> elements) {
        ListValue l = new ListValue(key);
        for (byte[] v : elements) {
            l.beforeGrow(v, options.listFill(), options.listCompressDepth());
            l.push(v, false);
        }
        return l;
    }

    private HashValue hash(byte[] key, List<byte[]> fv) {
        HashValue h = HashValue.create(key);
        for (int i = 0; i < fv.size(); i += 2) {
            h.set(fv.get(i), fv.get(i + 1), options.hashLimits());
        }
        return h;
    }

    /**
     * A sorted set sized as Redis's loader does: listpack when the member count and longest member fit the
     * limits, whatever the encoding in the file, else skiplist.
     */
    private ZSetValue zset(byte[] key, List<byte[]> members, double[] scores) {
        long maxLen = 0;
        for (byte[] m : members) {
            maxLen = Math.max(maxLen, m.length);
        }
        ZSetValue z = ZSetValue.create(key, members.size(), maxLen, options.zsetLimits());
        for (int i = 0; i < members.size(); i++) {
            z.insertNew(members.get(i), scores[i], options.zsetLimits());
        }
        return z;
    }

    private SetValue set(byte[] key, List<byte[]> members) {
        SetValue s = SetValue.create(key, members.get(0), members.size(), options.setLimits());
        for (byte[] m : members) {
            s.add(m, options.setLimits());
        }
        return s;
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
