package dev.peregrine.storage;

/** The type of a key's value, named as TYPE reports it. */
public enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    private final String typeName;

    ValueType(String typeName) {
        this.typeName = typeName;
    }

    /** The name TYPE answers and SCAN TYPE takes, e.g. {@code "string"}. */
    public String typeName() {
        return typeName;
    }

    /** The type with the given TYPE name, case-insensitive, or {@code null}. */
    public static ValueType byName(String name) {
        for (ValueType t : values()) {
            if (t.typeName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
