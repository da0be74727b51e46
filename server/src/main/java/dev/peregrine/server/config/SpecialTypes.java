package dev.peregrine.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The directives with a syntax of their own. Stateless; any thread. */
final class SpecialTypes {
    private SpecialTypes() {
    }

    /** Space-separated words kept as one string (bind, replicaof). */
    static ConfigType<String> words() {
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) {
                List<String> words = new ArrayList<>();
                for (String a : args) {
                    for (String w : a.trim().split("\\s+")) {
                        if (!w.isEmpty()) {
                            words.add(w);
                        }
                    }
                }
                return String.join(" ", words);
            }

            @Override
            public String format(String value) {
                return value;
            }

            @Override
            public boolean multiArg() {
                return true;
            }
        };
    }

    /** {@code save <seconds> <changes> [<seconds> <changes> ...]}, or {@code ""} for none. */
    static ConfigType<String> save() {
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                List<String> words = new ArrayList<>();
                for (String a : args) {
                    for (String w : a.trim().split("\\s+")) {
                        if (!w.isEmpty()) {
                            words.add(w);
                        }
                    }
                }
                if (words.size() % 2 != 0) {
                    throw new ConfigException("Invalid save parameters");
                }
                for (String w : words) {
                    try {
                        if (Long.parseLong(w) < 0) {
                            throw new ConfigException("Invalid save parameters");
                        }
                    } catch (NumberFormatException e) {
                        throw new ConfigException("Invalid save parameters");
                    }
                }
                return String.join(" ", words);
            }

            @Override
            public String format(String value) {
                return value;
            }

            @Override
            public boolean multiArg() {
                return true;
            }
        };
    }

    /** {@code client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [...]}. */
    static ConfigType<String> clientOutputBufferLimit() {
        return new ConfigType<>() {
            @Override
            public String parse(String[] args) throws ConfigException {
                List<String> words = new ArrayList<>();
                for (String a : args) {
                    for (String w : a.trim().split("\\s+")) {
                        if (!w.isEmpty()) {
                            words.add(w);
                        }
                    }
                }
                if (words.size() % 4 != 0) {
                    throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
                }
                String[] current = {"normal", "0", "0", "0", "slave", "268435456", "67108864", "60",
                                    "pubsub", "33554432", "8388608", "60"};
                for (int i = 0; i < words.size(); i += 4) {
                    String cls = words.get(i).toLowerCase(Locale.ROOT);
                    if (cls.equals("replica") || cls.equals("master")) {
                        cls = "slave";
                    }
                    int at = cls.equals("normal") ? 0 : cls.equals("slave") ? 4 : cls.equals("pubsub") ? 8 : -1;
                    long hard = Types.parseMemory(words.get(i + 1));
                    long soft = Types.parseMemory(words.get(i + 2));
                    long secs;
                    try {
                        secs = Long.parseLong(words.get(i + 3));
                    } catch (NumberFormatException e) {
                        secs = -1;
                    }
                    if (at < 0 || hard < 0 || soft < 0 || secs < 0) {
                        throw new ConfigException("Invalid client class specified in buffer limit configuration.");
                    }
                    current[at + 1] = Long.toString(hard);
                    current[at + 2] = Long.toString(soft);
                    current[at + 3] = Long.toString(secs);
                }
                return String.join(" ", current);
            }

            @Override
            public String format(String value) {
                return value;
            }

            @Override
            public boolean multiArg() {
                return true;
            }
        };
    }
}
