/// The STAC API conformance classes this server implements.
enum StacConformance {
    static let classes = [
        "https://api.stacspec.org/v1.0.0/core",
        "https://api.stacspec.org/v1.0.0/collections",
        "https://api.stacspec.org/v1.0.0/ogcapi-features",
        "https://api.stacspec.org/v1.0.0/item-search",
        "https://api.stacspec.org/v1.0.0/item-search#query",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    ]
    static let stacVersion = "1.1.0"
    static let labelExtension = "https://stac-extensions.github.io/label/v1.0.1/schema.json"
    static let projectionExtension = "https://stac-extensions.github.io/projection/v2.0.0/schema.json"
}
