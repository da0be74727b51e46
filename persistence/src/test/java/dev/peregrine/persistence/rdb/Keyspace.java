package dev.peregrine.persistence.rdb;

import dev.peregrine.storage.Database;
import dev.peregrine.storage.Entry;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.hash.HashValue;
import dev.peregrine.storage.list.ElementSink;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.set.SetValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A comparable description of a keyspace: "db/key" to "type expire contents", where sets, hashes and zsets are
 * sorted, so the same data read three ways (a real redis-server, our reader's visitor, our loaded databases)
 * compares equal.
 */
final class Keyspace {
    final Map<String, String> keys = new TreeMap<>();

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String describe(String type, long expireAt, List<String> items, boolean sort) {
        List<String> l = new ArrayList<>(items);
        if (sort) {
            Collections.sort(l);
        }
        return type + " exp=" + expireAt + " " + l;
    }

    static String score(double d) {
        return Double.toString(d);
    }

    /** Everything in databases 0..15 of a real server. */
    static Keyspace ofRedis(RedisProcess r) throws IOException {
        Keyspace k = new Keyspace();
        for (int db = 0; db < 16; db++) {
            r.ok("SELECT", db);
            @SuppressWarnings("unchecked")
            List<Object> names = (List<Object>) r.ok("KEYS", "*");
            for (Object n : names) {
                byte[] key = (byte[]) n;
                String type = (String) r.ok("TYPE", key);
                long exp = (Long) r.ok("PEXPIRETIME", key);
                List<String> items = new ArrayList<>();
                boolean sort = true;
                switch (type) {
                    case "string" -> items.add(s((byte[]) r.ok("GET", key)));
                    case "list" -> {
                        sort = false;
                        for (Object o : (List<?>) r.ok("LRANGE", key, 0, -1)) {
                            items.add(s((byte[]) o));
                        }
                    }
                    case "set" -> {
                        for (Object o : (List<?>) r.ok("SMEMBERS", key)) {
                            items.add(s((byte[]) o));
                        }
                    }
                    case "hash" -> {
                        List<?> fv = (List<?>) r.ok("HGETALL", key);
                        for (int i = 0; i < fv.size(); i += 2) {
                            items.add(s((byte[]) fv.get(i)) + "=" + s((byte[]) fv.get(i + 1)));
                        }
                    }
                    case "zset" -> {
                        List<?> ms = (List<?>) r.ok("ZRANGE", key, 0, -1, "WITHSCORES");
                        for (int i = 0; i < ms.size(); i += 2) {
                            items.add(s((byte[]) ms.get(i)) + "="
                                      + score(RdbReader.parseDouble((byte[]) ms.get(i + 1))));
                        }
                    }
                    default -> throw new IllegalStateException("type " + type);
                }
                k.keys.put(db + "/" + s(key), describe(type, exp, items, sort));
            }
        }
        r.ok("SELECT", 0);
        return k;
    }

    /** What {@link RdbReader} reports, as a visitor; keys already expired at {@code now} are left out. */
    static Keyspace ofReader(byte[] file, long now) throws IOException {
        Keyspace k = new Keyspace();
        new RdbReader(new java.io.ByteArrayInputStream(file)).read((db, key, expireAtMs, v) -> {
            if (expireAtMs != -1 && expireAtMs < now) {
                return;
            }
            List<String> items = new ArrayList<>();
            String type = switch (v.kind()) {
                case STRING -> "string";
                case LIST -> "list";
                case SET -> "set";
                case HASH -> "hash";
                case ZSET -> "zset";
                case STREAM -> "stream";
            };
            switch (v.kind()) {
                case STRING -> items.add(s(v.string()));
                case LIST, SET -> v.elements().forEach(e -> items.add(s(e)));
                case HASH -> {
                    for (int i = 0; i < v.elements().size(); i += 2) {
                        items.add(s(v.elements().get(i)) + "=" + s(v.elements().get(i + 1)));
                    }
                }
                case ZSET -> {
                    for (int i = 0; i < v.elements().size(); i++) {
                        items.add(s(v.elements().get(i)) + "=" + score(v.scores()[i]));
                    }
                }
                case STREAM -> v.stream().ids().forEach(id -> items.add(id.toString()));
            }
            k.keys.put(db + "/" + s(key), describe(type, expireAtMs, items, v.kind() != RdbValue.Kind.LIST));
        });
        return k;
    }

    /** What the loaded databases hold. */
    static Keyspace ofDatabases(Database[] dbs) {
        Keyspace k = new Keyspace();
        for (Database d : dbs) {
            d.forEach(e -> {
                List<String> items = new ArrayList<>();
                String type = Entry.type(e).typeName();
                if (e instanceof byte[] se) {
                    items.add(s(StringEntry.value(se)));
                } else if (e instanceof ListValue l) {
                    l.range(0, l.size(), new ElementSink() {
                        @Override
                        public void string(byte[] buf, int off, int len) {
                            items.add(new String(buf, off, len, StandardCharsets.ISO_8859_1));
                        }

                        @Override
                        public void integer(long value) {
                            items.add(Long.toString(value));
                        }
                    });
                } else if (e instanceof SetValue sv) {
                    sv.forEach(m -> items.add(s(m)));
                } else if (e instanceof HashValue h) {
                    h.forEach((f, v) -> items.add(s(f) + "=" + s(v)));
                } else if (e instanceof dev.peregrine.storage.zset.ZSetValue z) {
                    z.forEach((m, sc) -> {
                        items.add(s(m) + "=" + score(sc));
                        return true;
                    });
                } else if (e instanceof dev.peregrine.storage.stream.StreamValue st) {
                    st.ids().forEach(id -> items.add(id.toString()));
                } else {
                    throw new IllegalStateException("unexpected entry " + e);
                }
                long exp = Entry.expireAt(e);
                k.keys.put(d.id() + "/" + s(Entry.key(e)),
                           describe(type, exp == Entry.NO_EXPIRE ? -1 : exp, items, !(e instanceof ListValue)));
            });
        }
        return k;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        keys.forEach((k, v) -> sb.append(k).append(" -> ").append(v)
                .append('\n'));
        return sb.toString();
    }
}
