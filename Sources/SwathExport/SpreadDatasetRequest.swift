import Foundation
import SwathGeo
import SwathLabels
import SwathSpread

/// A wildfire-spread dataset asked for over HTTP (`swath spread-dataset` as a job), stored with its job as
/// JSON; whole numbers converted exactly. Weather sources and a DEM are paths or URIs only a manager may
/// name (checked by the service against the server's scene sources), opened only by the drivers below.
public struct SpreadDatasetRequest: JobRequest, Codable, Sendable, Equatable {
    public var window: Int?
    public var stride: Int?
    /// Metres per cell (default: the earliest dated scene's).
    public var resolution: Double?
    /// "before" (default) or "interp".
    public var weatherTime: String?
    /// "fire:TRAIN,VALIDATION,TEST" or "time:DAY[,DAY]" (default fire:0.7,0.15,0.15).
    public var split: String?
    public var seed: Int?
    public var emptyShare: Double?
    /// Reflectance = DN × scale + offset, for the scenes' spectral indices (default 1 and 0).
    public var scale: Double?
    public var offset: Double?
    /// "netcdf" (default) or "zarr".
    public var cubeFormat: String?
    /// Statuses of the tasks whose labels make the perimeters and fuel (default: accepted).
    public var statuses: [String]?
    /// `--weather` arguments: SOURCE=ROLE or FORMAT:"path":variable[=ROLE] (managers only; under a `--scene-source`).
    public var weather: [String]?
    /// A DEM (managers only; under a `--scene-source`; a GeoTIFF).
    public var dem: String?

    /// A request names at most this many weather sources.
    public static let maximumWeatherSources = 16
    /// The formats a request's weather source may be opened as: GDAL's multidimensional drivers for them.
    public static let weatherDrivers = ["netCDF", "Zarr", "GRIB"]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case window, stride, resolution, weatherTime, split, seed, emptyShare, scale, offset, cubeFormat, statuses, weather, dem
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        window = try values.decodeWholeIfPresent(forKey: .window)
        stride = try values.decodeWholeIfPresent(forKey: .stride)
        resolution = try values.decodeIfPresent(Double.self, forKey: .resolution)
        weatherTime = try values.decodeIfPresent(String.self, forKey: .weatherTime)
        split = try values.decodeIfPresent(String.self, forKey: .split)
        seed = try values.decodeWholeIfPresent(forKey: .seed)
        emptyShare = try values.decodeIfPresent(Double.self, forKey: .emptyShare)
        scale = try values.decodeIfPresent(Double.self, forKey: .scale)
        offset = try values.decodeIfPresent(Double.self, forKey: .offset)
        cubeFormat = try values.decodeIfPresent(String.self, forKey: .cubeFormat)
        statuses = try values.decodeIfPresent([String].self, forKey: .statuses)
        weather = try values.decodeIfPresent([String].self, forKey: .weather)
        dem = try values.decodeIfPresent(String.self, forKey: .dem)
    }

    /// The builder's options, checked: one line naming the field otherwise.
    public func options() throws -> SpreadDatasetOptions {
        var options = SpreadDatasetOptions()
        if let window { options.window = window }
        if let stride { options.stride = stride } else { options.stride = max(1, options.window / 2) }
        if let resolution {
            guard resolution.isFinite, resolution > 0 else { throw ExportError.invalidOption("resolution", "must be a positive number of metres") }
            options.resolution = resolution
        }
        if let weatherTime {
            guard let mode = WeatherTimeMode(rawValue: weatherTime) else { throw ExportError.invalidOption("weatherTime", "must be before or interp") }
            options.weatherTime = mode
        }
        if let seed, seed < 0 { throw ExportError.invalidOption("seed", "must be 0 or more") }
        do {
            // The seed draws fires even when the default split is kept.
            options.split = try SpreadSplit(argument: split ?? "fire:0.7,0.15,0.15", seed: UInt64(seed ?? 0))
        } catch let error as SpreadError {
            throw ExportError.invalidOption("split", error.description)
        }
        if let emptyShare {
            guard emptyShare.isFinite else { throw ExportError.invalidOption("emptyShare", "must be 0–1") }
            options.emptyShare = emptyShare
        }
        if let scale, !scale.isFinite || scale == 0 { throw ExportError.invalidOption("scale", "must be a finite number other than 0") }
        if let offset, !offset.isFinite { throw ExportError.invalidOption("offset", "must be a finite number") }
        if let cubeFormat {
            guard let format = CubeFormat(rawValue: cubeFormat) else { throw ExportError.invalidOption("cubeFormat", "must be netcdf or zarr") }
            options.cubeFormat = format
        }
        if let dem, dem.isEmpty || dem.utf8.count > 4096 { throw ExportError.invalidOption("dem", "must be a path or URI of 1 to 4096 bytes") }
        options.dem = dem
        do { try options.validate() } catch let error as SpreadError {
            throw ExportError.invalidOption(Self.field(of: error.description), error.description)
        }
        _ = try weatherSources()
        return options
    }

    /// The weather sources, parsed and paired (wind in twos); not yet opened.
    public func weatherSources() throws -> [WeatherSource] {
        let arguments = weather ?? []
        guard arguments.count <= Self.maximumWeatherSources else {
            throw ExportError.invalidOption("weather", "at most \(Self.maximumWeatherSources) sources")
        }
        do {
            let sources = try arguments.map { argument in
                guard !argument.isEmpty, argument.utf8.count <= 4096 else { throw SpreadError("each source must be 1 to 4096 bytes") }
                return try WeatherSource(argument: argument)
            }
            try WeatherSource.checkPairs(sources)
            return sources
        } catch let error as SpreadError {
            throw ExportError.invalidOption("weather", error.description.replacingOccurrences(of: "--weather ", with: ""))
        }
    }

    /// The files the request names (weather sources' paths and the DEM): what the service checks before queueing.
    public func namedPaths() throws -> (weather: [String], dem: String?) {
        (try weatherSources().map(\.path), dem)
    }

    /// "--window must be …" → "window".
    private static func field(of message: String) -> String {
        guard message.hasPrefix("--"), let end = message.firstIndex(of: " ") else { return "options" }
        let flag = message[message.index(message.startIndex, offsetBy: 2)..<end]
        return flag.split(separator: "-").enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }
}
