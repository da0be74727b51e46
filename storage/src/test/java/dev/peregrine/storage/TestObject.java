package dev.peregrine.storage;

/** A minimal non-string entry for tests. */
final class TestObject extends ObjectEntry {
    final String value;

    TestObject(byte[] key, String value) {
        super(key);
        this.value = value;
    }

    @Override
    public ValueType type() {
        return ValueType.values()[ValueType.values().length - 1];
    }

    @Override
    public String encoding() {
        return "test";
    }

    @Override
    public ObjectEntry copyAs(byte[] newKey) {
        return new TestObject(newKey, value);
    }
}
