package dev.peregrine.server.command.sort;

import dev.peregrine.protocol.ReplyWriter;
import dev.peregrine.server.command.CommandContext;
import dev.peregrine.server.command.CommandError;
import dev.peregrine.server.command.CommandTable;
import dev.peregrine.server.command.Errors;
import dev.peregrine.server.command.KeySpecs;
import dev.peregrine.server.command.KeySpecs.KeyPosition;
import dev.peregrine.server.command.KeySpecs.KeySpec;
import dev.peregrine.server.exec.KeyspaceEvents;
import dev.peregrine.storage.Database;
import dev.peregrine.storage.StringEntry;
import dev.peregrine.storage.ValueType;
import dev.peregrine.storage.hash.HashValue;
import dev.peregrine.storage.list.ElementSink;
import dev.peregrine.storage.list.ListValue;
import dev.peregrine.storage.set.SetValue;
import dev.peregrine.storage.zset.ZSetValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination] and
 * SORT_RO (the same without STORE), as Redis 7.2:
 * <ul>
 *   <li>elements are weighed numerically (C strtod; a non-number fails the whole command with
 *       {@code ERR One or more scores can't be converted into double}) with ties ordered by the element bytes,
 *       or with ALPHA by their bytes (up to the first NUL unless STORE, as strcoll in the C locale does);</li>
 *   <li>BY pattern weighs each element by the key (or {@code key->field} of a hash) formed by putting the
 *       element in place of the first {@code *}; a missing weight is 0 (numeric) or sorts first (ALPHA); a
 *       pattern without {@code *} means "do not sort": lists keep their order (reversed by DESC), sets are
 *       returned in iteration order unless STORE, which sorts them by their bytes;</li>
 *   <li>GET patterns ({@code #} = the element) replace each element by the looked-up values, null (or the
 *       empty string when stored) for a missing one;</li>
 *   <li>STORE replaces the destination with a list of the output (deletes it when the output is empty) and
 *       replies with its length.</li>
 * </ul>
 * A sorted set is converted to its skiplist encoding first (as Redis does); "do not sort" keeps its rank order
 * (reversed by DESC). Executor-only.
 */
public final class SortCommands {
    private static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";

    private SortCommands() {
    }

    public static void register(CommandTable t) {
        t.register("sort", c -> sort(c, false));
        t.register("sort_ro", c -> sort(c, true));
        KeySpecs.registerFinder("sort", (specs, argv) -> sortKeys(specs, argv, true));
        KeySpecs.registerFinder("sort_ro", (specs, argv) -> sortKeys(specs, argv, false));
    }

    /**
     * The keys of a SORT / SORT_RO call as Redis's getkeys procedure finds them: the sorted key, then for SORT
     * the argument after the last STORE, skipping the arguments of LIMIT (2), GET and BY (1). BY/GET pattern
     * keys are not reported.
     */
    static List<KeyPosition> sortKeys(List<KeySpec> specs, byte[][] argv, boolean withStore) {
        List<KeyPosition> out = new ArrayList<>(2);
        out.add(new KeyPosition(1, specs.get(0).flags()));
        if (!withStore) {
            return out;
        }
        int store = -1;
        for (int i = 2; i < argv.length; i++) {
            String a = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
            if (a.equalsIgnoreCase("limit")) {
                i += 2;
            } else if (a.equalsIgnoreCase("get") || a.equalsIgnoreCase("by")) {
                i += 1;
            } else if (a.equalsIgnoreCase("store") && i + 1 < argv.length) {
                store = i + 1; // the scan goes on: the last STORE wins, as in SORT itself
            }
        }
        if (store > 0) {
            out.add(new KeyPosition(store, specs.get(2).flags()));
        }
        return out;
    }

    /** One element being sorted with its weight: a numeric score or, for ALPHA BY, the looked-up bytes. */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] alphaBy;

        Item(byte[] element) {
            this.element = element;
        }
    }

    static void sort(CommandContext c, boolean readOnly) {
        int argc = c.argc();
        boolean desc = false;
        boolean alpha = false;
        boolean dontSort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] storeKey = null;
        byte[] sortBy = null;
        List<byte[]> gets = new ArrayList<>();
        for (int j = 2; j < argc; j++) {
            int left = argc - j - 1;
            if (c.argIs(j, "asc")) {
                desc = false;
            } else if (c.argIs(j, "desc")) {
                desc = true;
            } else if (c.argIs(j, "alpha")) {
                alpha = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                limitStart = c.longArg(j + 1);
                limitCount = c.longArg(j + 2);
                j += 2;
            } else if (!readOnly && c.argIs(j, "store") && left >= 1) {
                storeKey = c.arg(++j);
            } else if (c.argIs(j, "by") && left >= 1) {
                sortBy = c.arg(++j);
                if (indexOf(sortBy, cLength(sortBy), (byte) '*', 0) < 0) {
                    dontSort = true; // sticky, as in Redis, even if a later BY has a '*'
                }
            } else if (c.argIs(j, "get") && left >= 1) {
                gets.add(c.arg(++j));
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }

        Object value = c.lookupRead(c.arg(1));
        ValueType type = value == null ? ValueType.LIST : dev.peregrine.storage.Entry.type(value);
        if (type != ValueType.LIST && type != ValueType.SET && type != ValueType.ZSET) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        if (type == ValueType.ZSET) {
            // Redis converts a listpack sorted set to a skiplist before sorting it, and it stays converted.
            ((ZSetValue) value).convertToSkiplist();
        }
        if (dontSort && type == ValueType.SET && storeKey != null) {
            // A stored result must not depend on set iteration order: sort by the members' bytes.
            dontSort = false;
            alpha = true;
            sortBy = null;
        }

        long length = value == null ? 0 : type == ValueType.LIST ? ((ListValue) value).size()
                : type == ValueType.SET ? ((SetValue) value).size() : ((ZSetValue) value).size();
        long start = limitStart < 0 ? 0 : limitStart;
        long end = limitCount < 0 ? length - 1 : start + limitCount - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }

        Item[] items;
        if (type == ValueType.LIST && dontSort) {
            // The list's own order (reversed by DESC), only the requested range.
            int n = end >= start ? (int) (end - start + 1) : 0;
            items = new Item[n];
            if (n > 0) {
                ListValue list = (ListValue) value;
                ListValue.Cursor cur = list.cursor(desc ? length - start - 1 : start, !desc);
                for (int k = 0; k < n && cur.valid(); k++) {
                    items[k] = new Item(cur.get());
                    cur.advance();
                }
                cur.close();
            }
            end -= start;
            start = 0;
        } else if (type == ValueType.ZSET && dontSort) {
            // Rank order (reversed by DESC), only the requested range.
            int n = end >= start ? (int) (end - start + 1) : 0;
            Item[] range = new Item[n];
            if (n > 0) {
                int[] k = {0};
                ((ZSetValue) value).visit(desc ? length - start - 1 : start, desc, (m, score) -> {
                    range[k[0]++] = new Item(m);
                    return k[0] < n;
                });
            }
            items = range;
            end -= start;
            start = 0;
        } else if (type == ValueType.ZSET) {
            ZSetValue z = (ZSetValue) value;
            Item[] all = new Item[z.size()];
            int[] k = {0};
            z.forEach((m, score) -> {
                all[k[0]++] = new Item(m);
                return true;
            });
            items = all;
        } else if (value == null) {
            items = new Item[0];
        } else if (type == ValueType.LIST) {
            ListValue list = (ListValue) value;
            items = new Item[(int) length];
            int[] k = {0};
            list.range(0, length, new ElementSink() {
                @Override
                public void string(byte[] buf, int off, int len) {
                    items[k[0]++] = new Item(Arrays.copyOfRange(buf, off, off + len));
                }

                @Override
                public void integer(long v) {
                    items[k[0]++] = new Item(Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            });
        } else {
            SetValue set = (SetValue) value;
            items = new Item[set.size()];
            int[] k = {0};
            set.forEach(m -> items[k[0]++] = new Item(m));
        }

        boolean conversionError = false;
        if (!dontSort) {
            for (Item it : items) {
                byte[] weight;
                if (sortBy != null) {
                    weight = lookupByPattern(c, sortBy, it.element);
                    if (weight == null) {
                        continue;
                    }
                } else {
                    weight = it.element;
                }
                if (alpha) {
                    if (sortBy != null) {
                        it.alphaBy = weight;
                    }
                } else {
                    it.score = SortScore.parse(weight);
                    if (Double.isNaN(it.score)) {
                        conversionError = true;
                    }
                }
            }
            if (!conversionError) {
                Arrays.sort(items, comparator(alpha, sortBy != null, storeKey != null, desc));
            }
        }

        long outputLength = end - start + 1;
        if (!gets.isEmpty()) {
            outputLength *= gets.size();
        }
        if (conversionError) {
            throw new CommandError(NOT_DOUBLE);
        }
        if (storeKey == null) {
            ReplyWriter r = c.reply();
            r.arrayHeader((int) outputLength);
            for (long j = start; j <= end; j++) {
                Item it = items[(int) j];
                if (gets.isEmpty()) {
                    r.bulk(it.element);
                }
                for (byte[] pattern : gets) {
                    byte[] v = lookupByPattern(c, pattern, it.element);
                    if (v == null) {
                        r.nullBulk();
                    } else {
                        r.bulk(v);
                    }
                }
            }
            return;
        }
        byte[][] out = new byte[(int) outputLength][];
        int o = 0;
        for (long j = start; j <= end; j++) {
            Item it = items[(int) j];
            if (gets.isEmpty()) {
                out[o++] = it.element;
            }
            for (byte[] pattern : gets) {
                byte[] v = lookupByPattern(c, pattern, it.element);
                out[o++] = v == null ? new byte[0] : v;
            }
        }
        Database db = c.db();
        if (outputLength > 0) {
            ListValue list = new ListValue(storeKey);
            list.beforeGrow(out, 0, out.length - 1, c.engine().config().intValue("list-max-listpack-size"),
                    c.engine().config().intValue("list-compress-depth"));
            for (byte[] v : out) {
                list.push(v, false);
            }
            db.put(storeKey, list);
            c.keyModified(db, storeKey);
            c.signalKeyAsReady(db, storeKey);
            c.notify(KeyspaceEvents.LIST, "sortstore", db, storeKey);
            c.dirty(outputLength - 1);
        } else if (db.remove(storeKey) != null) {
            c.keyModified(db, storeKey);
            c.notify(KeyspaceEvents.GENERIC, "del", db, storeKey);
        }
        c.reply().integer(outputLength);
    }

    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<Item> cmp;
        if (!alpha) {
            cmp = (a, b) -> a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.element,
                    b.element);
        } else if (byPattern) {
            cmp = (a, b) -> {
                if (a.alphaBy == null || b.alphaBy == null) {
                    return a.alphaBy == b.alphaBy ? 0 : a.alphaBy == null ? -1 : 1;
                }
                return store ? Arrays.compareUnsigned(a.alphaBy, b.alphaBy) : collate(a.alphaBy, b.alphaBy);
            };
        } else {
            cmp = store ? (a, b) -> Arrays.compareUnsigned(a.element, b.element)
                    : (a, b) -> collate(a.element, b.element);
        }
        return desc ? cmp.reversed() : cmp;
    }

    /** strcoll in the C locale: unsigned bytes up to each string's first NUL. */
    private static int collate(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, cLength(a), b, 0, cLength(b));
    }

    /**
     * The value a BY or GET pattern names for {@code element}: the element itself for {@code #}; else the
     * string at the key formed by replacing the first {@code *} with the element, or with {@code key->field}
     * the field of the hash at that key; null when the pattern has no {@code *} or the key or field is absent
     * or of another type. Patterns are read as C strings (up to a NUL), as Redis does.
     */
    static byte[] lookupByPattern(CommandContext c, byte[] pattern, byte[] element) {
        int plen = cLength(pattern);
        if (plen == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, plen, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int k = star + 1; k + 1 < plen; k++) {
            if (pattern[k] == '-' && pattern[k + 1] == '>') {
                arrow = k;
                break;
            }
        }
        byte[] field = null;
        if (arrow >= 0 && arrow + 2 < plen) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
        } else {
            arrow = -1;
        }
        int postfix = pattern.length - (star + 1) - (field != null ? field.length + 2 : 0);
        byte[] key = new byte[star + element.length + postfix];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, postfix);
        Object e = c.lookupRead(key);
        if (e == null) {
            return null;
        }
        if (field != null) {
            return e instanceof HashValue h ? h.get(field) : null;
        }
        return e instanceof byte[] s ? StringEntry.value(s) : null;
    }

    private static int cLength(byte[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                return i;
            }
        }
        return a.length;
    }

    private static int indexOf(byte[] a, int len, byte b, int from) {
        for (int i = from; i < len; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
