package dev.peregrine.server.config;

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
        return number(min, max, false);
    }

    /** A byte count with optional unit ({@code k kb m mb g gb}, case-insensitive) within {@code [min, max]}. */
    public static ConfigType<Long> memory(long min, long max) {
        return number(min, max, true);
    }

    private static ConfigType<Long> number(long min, long max, boolean memory) {
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
                    try {
                        v = Long.parseLong(args[0]);
                    } catch (NumberFormatException e) {
                        throw new ConfigException("argument couldn't be parsed into an integer");
                    }
                }
                if (v < min || v > max) {
                    throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                }
                return v;
            }

            @Override
            public String format(Long value) {
                return Long.toString(value);
            }
        };
    }

    /**
     * Parses a memory value as Redis's {@code memtoull}: digits with an optional unit, {@code k}=1000,
     * {@code kb}=1024, {@code m}=10^6, {@code mb}=2^20, {@code g}=10^9, {@code gb}=2^30.
     *
     * @return the byte count, or {@code Long.MIN_VALUE} when malformed
     */
    public static long parseMemory(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        long mul = 1;
        String digits = lower;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
                            {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (lower.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                digits = lower.substring(0, lower.length() - u[0].length());
                break;
            }
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

    /** One of fixed lower-case names. */
    public static ConfigType<String> enumOf(String... names) {
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                String v = args[0].toLowerCase(Locale.ROOT);
                for (String n : names) {
                    if (n.equals(v)) {
                        return n;
                    }
                }
                throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", names));
            }

            @Override
            public String format(String value) {
                return value;
            }
        };
    }

    /** Any string. */
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
        };
    }
}
