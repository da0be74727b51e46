package dev.peregrine.server.config;

import dev.peregrine.storage.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The common {@link ConfigType}s, with Redis 7.2's parsing rules and error texts. Stateless; any thread. */
public final class Types {
    private Types() {
    }

    /** {@code yes}/{@code no}. */
    public static ConfigType<Boolean> bool() {
        return new ConfigType<>() {
            @Override
            public Boolean parse(String[] args) throws ConfigException {
                String v = args[0].toLowerCase(Locale.ROOT);
                if (v.equals("yes")) {
                    return Boolean.TRUE;
                }
                if (v.equals("no")) {
                    return Boolean.FALSE;
                }
                throw new ConfigException("argument must be 'yes' or 'no'");
            }

            @Override
            public String format(Boolean value) {
                return value ? "yes" : "no";
            }
        };
    }

    /** A signed 64-bit integer within {@code [min, max]}. */
    public static ConfigType<Long> integer(long min, long max) {
        return number(min, max, false, min, max);
    }

    /**
     * An integer within {@code [min, max]} whose accepted value is then clamped to {@code [low, high]}, as Redis
     * does for {@code hz} (1..500).
     */
    public static ConfigType<Long> clampedInteger(long min, long max, long low, long high) {
        return number(min, max, false, low, high);
    }

    /** A byte count with optional unit ({@code k kb m mb g gb}, case-insensitive) within {@code [min, max]}. */
    public static ConfigType<Long> memory(long min, long max) {
        return number(min, max, true, min, max);
    }

    private static ConfigType<Long> number(long min, long max, boolean memory, long low, long high) {
        return new ConfigType<>() {
            @Override
            public Long parse(String[] args) throws ConfigException {
                long v;
                if (memory) {
                    v = parseMemory(args[0]);
                    if (v == Long.MIN_VALUE) {
                        throw new ConfigException("argument must be a memory value");
                    }
                } else {
                    v = parseInteger(args[0]);
                }
                checkRange(v, min, max);
                return Math.max(low, Math.min(high, v));
            }

            @Override
            public String format(Long value) {
                return Long.toString(value);
            }

            @Override
            public List<String> rewrite(Long value) {
                return List.of(memory ? formatMemory(value) : Long.toString(value));
            }
        };
    }

    static void checkRange(long v, long min, long max) throws ConfigException {
        if (v < min || v > max) {
            throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
        }
    }

    /** Parses a decimal integer as Redis's string2ll (no sign but '-', no leading zeros, no spaces). */
    static long parseInteger(String s) throws ConfigException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        long v = Numbers.parseLong(b, 0, b.length);
        if (v == Numbers.NOT_A_LONG && !Numbers.isLong(b)) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
        return v;
    }

    /**
     * A byte count that may also be a percentage of {@code maxmemory} ({@code 5%}), as Redis's {@code
     * maxmemory-clients}: percentages are kept negative ({@code -5}).
     */
    public static ConfigType<Long> memoryOrPercent(long maxBytes) {
        return new ConfigType<>() {
            @Override
            public Long parse(String[] args) throws ConfigException {
                String s = args[0];
                long v;
                if (s.endsWith("%")) {
                    long p;
                    try {
                        p = parseInteger(s.substring(0, s.length() - 1));
                    } catch (ConfigException e) {
                        throw new ConfigException("argument must be a memory or percent value");
                    }
                    v = -p;
                } else {
                    v = parseMemory(s);
                    if (v == Long.MIN_VALUE) {
                        throw new ConfigException("argument must be a memory or percent value");
                    }
                }
                checkRange(v, -100, maxBytes);
                return v;
            }

            @Override
            public String format(Long value) {
                return value < 0 ? (-value) + "%" : Long.toString(value);
            }

            @Override
            public List<String> rewrite(Long value) {
                return List.of(value < 0 ? (-value) + "%" : formatMemory(value));
            }
        };
    }

    /** An integer written in octal ({@code unixsocketperm}), within {@code [0, max]}. */
    public static ConfigType<Long> octal(long max) {
        return new ConfigType<>() {
            @Override
            public Long parse(String[] args) throws ConfigException {
                long v;
                try {
                    v = Long.parseLong(args[0], 8);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument couldn't be parsed into an integer");
                }
                checkRange(v, 0, max);
                return v;
            }

            @Override
            public String format(Long value) {
                return Long.toOctalString(value);
            }
        };
    }

    /**
     * Parses a memory value as Redis's {@code memtoull}: digits with an optional unit, {@code b}, {@code k}=1000,
     * {@code kb}=1024, {@code m}=10^6, {@code mb}=2^20, {@code g}=10^9, {@code gb}=2^30 (any case).
     *
     * @return the byte count, or {@code Long.MIN_VALUE} when malformed or beyond a signed 64-bit value
     */
    public static long parseMemory(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        String digits = s.substring(0, i);
        long mul;
        switch (s.substring(i).toLowerCase(Locale.ROOT)) {
            case "": case "b": mul = 1; break;
            case "k": mul = 1000L; break;
            case "kb": mul = 1024L; break;
            case "m": mul = 1000L * 1000; break;
            case "mb": mul = 1024L * 1024; break;
            case "g": mul = 1000L * 1000 * 1000; break;
            case "gb": mul = 1024L * 1024 * 1024; break;
            default: return Long.MIN_VALUE;
        }
        if (digits.isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** A byte count as CONFIG REWRITE writes it: {@code 1gb}, {@code 64mb}, {@code 4kb}, or plain bytes. */
    public static String formatMemory(long bytes) {
        long gb = 1024L * 1024 * 1024;
        long mb = 1024L * 1024;
        if (bytes == 0) {
            return "0";
        }
        if (bytes % gb == 0) {
            return bytes / gb + "gb";
        }
        if (bytes % mb == 0) {
            return bytes / mb + "mb";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + "kb";
        }
        return Long.toString(bytes);
    }

    /**
     * One of fixed lower-case names; a name may repeat an earlier value under another spelling ({@code
     * oom-score-adj}'s {@code yes} = {@code relative}), given as {@code "relative=yes"}: the value printed is the
     * first name.
     */
    public static ConfigType<String> enumOf(String... names) {
        String[] accepted = new String[names.length];
        String[] canonical = new String[names.length];
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            int eq = names[i].indexOf('=');
            accepted[i] = eq < 0 ? names[i] : names[i].substring(0, eq);
            canonical[i] = eq < 0 ? names[i] : names[i].substring(eq + 1);
            if (i > 0) {
                list.append(", ");
            }
            list.append(accepted[i]);
        }
        String error = "argument(s) must be one of the following: " + list;
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                String v = args[0].toLowerCase(Locale.ROOT);
                for (int i = 0; i < accepted.length; i++) {
                    if (accepted[i].equals(v)) {
                        return canonical[i];
                    }
                }
                throw new ConfigException(error);
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    /** Any string; CONFIG REWRITE writes it quoted. */
    public static ConfigType<String> string() {
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) {
                return args[0];
            }

            @Override
            public String format(String value) {
                return value;
            }

            @Override
            public List<String> rewrite(String value) {
                return List.of(quote(value));
            }
        };
    }

    /** Quotes a string as Redis's {@code sdscatrepr} does, so it splits back to the same bytes. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.ISO_8859_1)) {
            int c = b & 0xff;
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '"': sb.append("\\\""); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case 7: sb.append("\\a"); break;
                case '\b': sb.append("\\b"); break;
                default:
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
            }
        }
        return sb.append('"').toString();
    }
}
