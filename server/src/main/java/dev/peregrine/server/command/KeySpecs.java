package dev.peregrine.server.command;

import dev.peregrine.storage.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Redis 7 key specifications of a {@link CommandSpec}, parsed from the descriptor, and what is derived from them:
 * the legacy first/last/step triple of COMMAND INFO, the {@code movablekeys} flag, and the key positions of a
 * concrete argument vector (COMMAND GETKEYS, later key routing).
 *
 * <p>Descriptor shape: {@code begin_search: {index: 1}} (or {@code {index: {pos: 1}}}), {@code begin_search:
 * {keyword: {keyword: STORE, startfrom: 1}}}, {@code find_keys: {range: {lastkey: 0, step: 1, limit: 0}}},
 * {@code find_keys: {keynum: {keynumidx: 0, firstkey: 1, step: 1}}}; {@code keystep} is accepted for
 * {@code step}. Stateless; any thread.
 */
public final class KeySpecs {
    /** Key spec flags in the order Redis replies them. */
    public static final List<String> FLAG_ORDER = List.of("RO", "RW", "OW", "RM", "access", "update", "insert",
            "delete", "not_key", "incomplete", "variable_flags");

    private KeySpecs() {
    }

    /** How a key spec finds where its keys begin. */
    public enum BeginSearch { INDEX, KEYWORD, UNKNOWN }

    /** How a key spec finds its keys once it knows where they begin. */
    public enum FindKeys { RANGE, KEYNUM, UNKNOWN }

    /**
     * One parsed key spec. For {@link BeginSearch#INDEX} {@code index} is the argument position (the command name
     * is 0); for {@link BeginSearch#KEYWORD} {@code keyword} and {@code startfrom} (negative counts from the
     * end). For {@link FindKeys#RANGE} {@code lastkey} (relative to the first key, negative from the end),
     * {@code keystep} and {@code limit}; for {@link FindKeys#KEYNUM} {@code keynumidx}, {@code firstkey} (both
     * relative to the begin position) and {@code keystep}.
     */
    public record KeySpec(List<String> flags, String notes, BeginSearch beginSearch, int index, String keyword,
                          int startfrom, FindKeys findKeys, int lastkey, int keystep, int limit, int keynumidx,
                          int firstkey) {
        public boolean hasFlag(String flag) {
            return flags.contains(flag);
        }

        /** A plain {@code index} + {@code range} spec, the only kind the legacy triple can describe. */
        public boolean isSimpleRange() {
            return beginSearch == BeginSearch.INDEX && findKeys == FindKeys.RANGE;
        }
    }

    /** One key found in an argument vector: its position and the flags of the spec that found it. */
    /**
     * Key finders of commands whose keys the specs cannot locate (Redis's getkeys_proc, e.g. SORT's STORE), by
     * full command name; each gets the command's parsed specs and argv (argv[0] = the name) and returns the key
     * positions, or null when the arguments do not fit. Registered at start-up, read from any thread.
     */
    private static final Map<String, BiFunction<List<KeySpec>, byte[][], List<KeyPosition>>> FINDERS =
            new ConcurrentHashMap<>();

    /** Registers the key finder of {@code fullName} (lower case, {@code container|sub} for subcommands). */
    public static void registerFinder(String fullName, BiFunction<List<KeySpec>, byte[][], List<KeyPosition>> f) {
        FINDERS.put(fullName, f);
    }

    /** The keys of {@code argv} by the command's registered finder if it has one, else by {@link #find}. */
    public static List<KeyPosition> find(String fullName, List<KeySpec> specs, byte[][] argv, int arity) {
        BiFunction<List<KeySpec>, byte[][], List<KeyPosition>> f = FINDERS.get(fullName);
        return f != null ? f.apply(specs, argv) : find(specs, argv, arity);
    }

    public record KeyPosition(int pos, List<String> flags) {
    }

    /** The parsed key specs of {@code spec}, in descriptor order. */
    public static List<KeySpec> of(CommandSpec spec) {
        List<Map<String, Object>> raw = spec.keySpecs();
        List<KeySpec> out = new ArrayList<>(raw.size());
        for (Map<String, Object> m : raw) {
            out.add(parse(m));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static KeySpec parse(Map<String, Object> m) {
        List<String> flags = new ArrayList<>();
        Object fl = m.get("flags");
        if (fl instanceof List<?> l) {
            for (Object o : l) {
                flags.add(normalizeFlag(String.valueOf(o)));
            }
        }
        flags.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        String notes = m.get("notes") == null ? null : String.valueOf(m.get("notes"));
        BeginSearch bs = BeginSearch.UNKNOWN;
        int index = 0;
        String keyword = null;
        int startfrom = 0;
        Object b = m.get("begin_search");
        if (b instanceof Map<?, ?> bm) {
            Object idx = bm.get("index");
            Object kw = bm.get("keyword");
            if (idx instanceof Number n) {
                bs = BeginSearch.INDEX;
                index = n.intValue();
            } else if (idx instanceof Map<?, ?> im) {
                bs = BeginSearch.INDEX;
                index = intOf((Map<String, Object>) im, "pos", 0);
            } else if (kw instanceof Map<?, ?> km) {
                bs = BeginSearch.KEYWORD;
                keyword = String.valueOf(km.get("keyword"));
                startfrom = intOf((Map<String, Object>) km, "startfrom", 0);
            }
        }
        FindKeys fk = FindKeys.UNKNOWN;
        int lastkey = 0;
        int keystep = 0;
        int limit = 0;
        int keynumidx = 0;
        int firstkey = 0;
        Object f = m.get("find_keys");
        if (f instanceof Map<?, ?> fm) {
            if (fm.get("range") instanceof Map<?, ?> rm) {
                Map<String, Object> r = (Map<String, Object>) rm;
                fk = FindKeys.RANGE;
                lastkey = intOf(r, "lastkey", 0);
                keystep = intOf(r, "step", intOf(r, "keystep", 1));
                limit = intOf(r, "limit", 0);
            } else if (fm.get("keynum") instanceof Map<?, ?> km) {
                Map<String, Object> r = (Map<String, Object>) km;
                fk = FindKeys.KEYNUM;
                keynumidx = intOf(r, "keynumidx", 0);
                firstkey = intOf(r, "firstkey", 1);
                keystep = intOf(r, "step", intOf(r, "keystep", 1));
            }
        }
        return new KeySpec(List.copyOf(flags), notes, bs, index, keyword, startfrom, fk, lastkey, keystep, limit,
                keynumidx, firstkey);
    }

    private static int intOf(Map<String, Object> m, String k, int dflt) {
        Object o = m.get(k);
        return o instanceof Number n ? n.intValue() : dflt;
    }

    private static String normalizeFlag(String f) {
        String lower = f.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "ro", "rw", "ow", "rm" -> lower.toUpperCase(Locale.ROOT);
            default -> lower;
        };
    }

    private static int rank(String flag) {
        int i = FLAG_ORDER.indexOf(flag);
        return i < 0 ? FLAG_ORDER.size() : i;
    }

    // ---------------------------------------------------------------- legacy range and movablekeys

    /**
     * The legacy {@code [firstkey, lastkey, step]} of COMMAND INFO, derived as Redis's
     * {@code populateCommandLegacyRangeSpec} does: one simple range spec is taken as is; otherwise adjacent
     * step-1 simple ranges are merged and every other spec is left out. {@code lastkey} is absolute when
     * non-negative, else counted from the end. {@code [0, 0, 0]} when no spec qualifies.
     */
    public static int[] legacyRange(List<KeySpec> specs) {
        if (specs.isEmpty()) {
            return new int[] {0, 0, 0};
        }
        if (specs.size() == 1 && specs.get(0).isSimpleRange()) {
            KeySpec s = specs.get(0);
            int last = s.lastkey() >= 0 ? s.lastkey() + s.index() : s.lastkey();
            return new int[] {s.index(), last, s.keystep()};
        }
        int first = Integer.MAX_VALUE;
        int last = 0;
        int prevLast = 0;
        for (KeySpec s : specs) {
            if (!s.isSimpleRange()) {
                continue;
            }
            if (s.keystep() != 1 || (prevLast != 0 && prevLast != s.index() - 1)) {
                continue;
            }
            first = Math.min(first, s.index());
            int lastAbs = s.lastkey() >= 0 ? s.lastkey() + s.index() : s.lastkey();
            // unsigned comparison: a negative (from the end) last key beats any absolute one
            last = Integer.compareUnsigned(last, lastAbs) >= 0 ? last : lastAbs;
            prevLast = last;
        }
        if (first == Integer.MAX_VALUE) {
            return new int[] {0, 0, 0};
        }
        return new int[] {first, last, 1};
    }

    /** Whether some spec is not a simple index + range spec (Redis then reports {@code movablekeys}). */
    public static boolean movable(List<KeySpec> specs) {
        for (KeySpec s : specs) {
            if (!s.isSimpleRange()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- key extraction

    /**
     * The keys of {@code argv} (argv[0] is the command name) found by running every spec that is not
     * {@code not_key}, as Redis's {@code getKeysUsingKeySpecs} does: a keyword spec whose keyword is absent finds
     * nothing; a spec whose bounds fall outside argv, or whose key count is not a non-negative integer, makes the
     * whole search invalid.
     *
     * @return the keys in spec order, or null when the argument vector does not fit the specs
     */
    public static List<KeyPosition> find(List<KeySpec> specs, byte[][] argv, int arity) {
        int argc = argv.length;
        List<KeyPosition> out = new ArrayList<>();
        for (KeySpec s : specs) {
            if (s.hasFlag("not_key")) {
                continue;
            }
            int first = 0;
            if (s.beginSearch() == BeginSearch.INDEX) {
                first = s.index();
            } else if (s.beginSearch() == BeginSearch.KEYWORD) {
                int start = s.startfrom() > 0 ? s.startfrom() : argc + s.startfrom();
                int end = s.startfrom() > 0 ? argc - 1 : 0;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) {
                        break;
                    }
                    if (new String(argv[i], StandardCharsets.ISO_8859_1).equalsIgnoreCase(s.keyword())) {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) {
                    continue;
                }
            } else {
                return null;
            }
            int last;
            int step;
            if (s.findKeys() == FindKeys.RANGE) {
                step = s.keystep();
                if (s.lastkey() >= 0) {
                    last = first + s.lastkey();
                } else if (s.limit() == 0) {
                    last = argc + s.lastkey();
                } else {
                    last = first + ((argc - first) / s.limit() + s.lastkey());
                }
            } else if (s.findKeys() == FindKeys.KEYNUM) {
                step = s.keystep();
                if (s.keynumidx() >= argc - first) {
                    return null;
                }
                byte[] n = argv[first + s.keynumidx()];
                long numkeys = Numbers.parseLong(n, 0, n.length);
                if ((numkeys == Numbers.NOT_A_LONG && !Numbers.isLong(n)) || numkeys < 0 || numkeys > argc) {
                    return null;
                }
                first += s.firstkey();
                last = first + (int) numkeys - 1;
            } else {
                return null;
            }
            if (last >= argc || last < first || first >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += Math.max(step, 1)) {
                if (i >= argc || i < first) {
                    if (arity < 0) {
                        continue;
                    }
                    return null;
                }
                out.add(new KeyPosition(i, s.flags()));
            }
        }
        return out;
    }
}
