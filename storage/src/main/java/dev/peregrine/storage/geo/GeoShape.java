package dev.peregrine.storage.geo;

/**
 * The area of a geo search: a circle of {@code radius} or an axis-aligned box of {@code width} x {@code height}
 * around a centre, sizes in the request's unit and {@code conversion} meters per unit (as Redis keeps them, so the
 * conversions round the same way). Immutable; any thread.
 */
public final class GeoShape {
    public static final int CIRCLE = 0;
    public static final int BOX = 1;

    final int type;
    final double longitude;
    final double latitude;
    final double conversion;
    final double radius;
    final double width;
    final double height;

    private GeoShape(int type, double longitude, double latitude, double conversion, double radius, double width,
                     double height) {
        this.type = type;
        this.longitude = longitude;
        this.latitude = latitude;
        this.conversion = conversion;
        this.radius = radius;
        this.width = width;
        this.height = height;
    }

    public static GeoShape circle(double longitude, double latitude, double radius, double conversion) {
        return new GeoShape(CIRCLE, longitude, latitude, conversion, radius, 0, 0);
    }

    public static GeoShape box(double longitude, double latitude, double width, double height, double conversion) {
        return new GeoShape(BOX, longitude, latitude, conversion, 0, width, height);
    }

    /** Meters per unit of the request. */
    public double conversion() {
        return conversion;
    }
}
