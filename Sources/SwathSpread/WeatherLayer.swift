import Foundation
import SwathGeo

/// One weather source opened: its variable as (time, y, x), the date of each
/// time step (CF units and calendar), and the ground it covers. Gives the
/// value at an observation time on any grid, warped by GDAL (bilinear), in
/// the source's own units. One thread at a time, like the dataset under it.
public final class WeatherLayer: @unchecked Sendable {
    public let source: WeatherSource
    public let times: [Date]
    public let units: String
    /// The variable's CRS: its own (a CF grid_mapping), else WGS84, which CF latitude/longitude axes mean —
    /// with longitudes wrapped to 0–360 when the axis runs past 180°.
    public let crsWKT: String
    /// west, south, east, north in the variable's CRS: the outer edges of its cells.
    public let extent: [Double]
    private let array: MDArray
    private let timeAxis: Int, xAxis: Int, yAxis: Int

    /// `drivers`: the GDAL drivers allowed to open the source (a request's sources: netCDF, Zarr, GRIB); nil: any.
    public init(_ source: WeatherSource, drivers: [String]? = nil) throws {
        self.source = source
        let name = source.variable.map { "\(source.path):\($0)" } ?? source.path
        let dataset: MultiDimensionalDataset
        do {
            dataset = try MultiDimensionalDataset.open(source.path, drivers: drivers)
        } catch let error as GeoError {
            throw SpreadError("weather source \(name): \(error.reason)")
        }
        let opened = try Self.variable(in: dataset, source: source, name: name)
        let dimensions = opened.dimensions
        guard let time = dimensions.firstIndex(where: \.isTime) else {
            throw SpreadError("weather source \(name) has no time dimension (its dimensions: \(dimensions.map(\.name).joined(separator: ", ")))")
        }
        let horizontal = dimensions.indices.filter { $0 != time }
        guard horizontal.count == 2 else {
            throw SpreadError("weather source \(name) has dimensions \(dimensions.map(\.name).joined(separator: ", ")): expected time and two horizontal ones (pick a level with GDAL first)")
        }
        // CF order is (…, y, x); GDAL's types say so when the file does.
        let x = horizontal.first { dimensions[$0].type == "HORIZONTAL_X" } ?? horizontal[1]
        let y = horizontal.first { $0 != x } ?? horizontal[0]
        (timeAxis, xAxis, yAxis) = (time, x, y)
        guard let timeVariable = dimensions[time].indexingVariable else {
            throw SpreadError("weather source \(name): its time dimension '\(dimensions[time].name)' has no values")
        }
        let cf = try CFTime(units: timeVariable.unit, calendar: timeVariable.attribute("calendar"))
        times = try timeVariable.values().map(cf.date)
        guard !times.isEmpty, zip(times, times.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw SpreadError("weather source \(name): its times are empty or not increasing")
        }
        array = try opened.unscaled()
        units = opened.unit
        let ownCRS = try opened.crs
        extent = try Self.extent(x: dimensions[x], y: dimensions[y], name: name)
        // Longitudes 0–360 (ERA5 as the CDS gives it): PROJ then gives the grid's longitudes in that range too.
        if ownCRS?.isGeographic ?? true, extent[2] > 180 {
            guard ownCRS.map({ $0.epsg == 4326 || $0.epsg == nil }) ?? true else {
                throw SpreadError("weather source \(name): longitudes past 180° on a geographic CRS other than WGS84 are not supported")
            }
            crsWKT = "+proj=longlat +datum=WGS84 +lon_wrap=180 +no_defs +type=crs"
        } else {
            crsWKT = try ownCRS?.wkt ?? CRS.wgs84().wkt
        }
    }

    /// The variable named, or the only one with three or more dimensions.
    private static func variable(in dataset: MultiDimensionalDataset, source: WeatherSource, name: String) throws -> MDArray {
        do {
            if let variable = source.variable { return try dataset.array(variable) }
            let candidates = try dataset.arrayNames.map(dataset.array).filter { $0.dimensions.count >= 3 }
            guard candidates.count == 1, let only = candidates.first else {
                throw SpreadError("weather source \(name) holds \(candidates.isEmpty ? "no gridded variable" : "several variables (\(candidates.map(\.name).joined(separator: ", ")))"): name one as FORMAT:\"path\":variable")
            }
            return only
        } catch let error as GeoError {
            throw SpreadError("weather source \(name): \(error.reason)")
        }
    }

    /// The cells' outer edges from the axes' centre coordinates (half a step beyond the first and last).
    private static func extent(x: MDDimension, y: MDDimension, name: String) throws -> [Double] {
        func edges(_ dimension: MDDimension) throws -> (Double, Double) {
            guard let values = try dimension.indexingVariable?.values(), let first = values.first, let last = values.last else {
                throw SpreadError("weather source \(name): its axis '\(dimension.name)' has no coordinates, so it cannot be placed")
            }
            let half = values.count > 1 ? abs(values[1] - values[0]) / 2 : 0
            return (min(first, last) - half, max(first, last) + half)
        }
        let (west, east) = try edges(x), (south, north) = try edges(y)
        return [west, south, east, north]
    }

    /// The time steps and their weights for `date`: the last at or before it, or the two around it, weighted
    /// by nearness. A date outside the source's times is an error giving both.
    public func steps(at date: Date, mode: WeatherTimeMode) throws -> [(index: Int, weight: Double)] {
        guard let last = times.lastIndex(where: { $0 <= date }) else {
            throw SpreadError("weather source \(source.path) (\(source.role)) starts at \(Self.text(times[0])), after the observation at \(Self.text(date))")
        }
        // A step older than the source's own spacing is not the weather at that time: a source that ended is said, not reused.
        let spacing = times.count > 1 ? times[1].timeIntervalSince(times[0]) : 86_400
        if date.timeIntervalSince(times[last]) > spacing {
            throw SpreadError("weather source \(source.path) (\(source.role)) ends at \(Self.text(times[last])), more than a step before the observation at \(Self.text(date))")
        }
        switch mode {
        case .before:
            return [(last, 1)]
        case .interp:
            if times[last] == date { return [(last, 1)] }
            guard last + 1 < times.count else {
                throw SpreadError("weather source \(source.path) (\(source.role)) ends at \(Self.text(times[last])), before the observation at \(Self.text(date)); use --weather-time before or a longer source")
            }
            let span = times[last + 1].timeIntervalSince(times[last])
            let after = date.timeIntervalSince(times[last]) / span
            return [(last, 1 - after), (last + 1, after)]
        }
    }

    /// Refuses a grid the source does not cover (its outline, densified, taken into the source's CRS by PROJ),
    /// naming both extents: a weather cube for the wrong region is said, never warped into nodata.
    public func checkCovers(crsWKT target: String, transform: GeoTransform, size: Size) throws {
        let outline = transform.densifiedOutline(Window(col: 0, row: 0, width: size.width, height: size.height), segmentsPerEdge: 8)
        let toSource = try Reprojector(from: CRS(name: "", wkt: target, epsg: nil, projJSON: nil, isGeographic: false),
                                       to: CRS(name: "", wkt: crsWKT, epsg: nil, projJSON: nil, isGeographic: false))
        let points = try toSource.forward(outline)
        let xs = points.map(\.x), ys = points.map(\.y)
        guard let west = xs.min(), let east = xs.max(), let south = ys.min(), let north = ys.max() else { return }
        guard west >= extent[0], east <= extent[2], south >= extent[1], north <= extent[3] else {
            let format = { (box: [Double]) in box.map { String(format: "%.4f", $0) }.joined(separator: ", ") }
            throw SpreadError("weather source \(source.path) (\(source.role)) covers [\(format(extent))] but the scene needs [\(format([west, south, east, north]))] (west, south, east, north in the source's CRS)")
        }
    }

    /// The variable at `date` on a grid (GDAL bilinear, in the source's units), row by row; NaN where the
    /// source has no data there.
    public func onGrid(at date: Date, mode: WeatherTimeMode, crsWKT target: String, transform: GeoTransform, size: Size) throws -> [Float] {
        var result = [Float](repeating: 0, count: size.width * size.height)
        for (index, weight) in try steps(at: date, mode: mode) {
            let slice = try self.slice(index).warped(toCRS: target, transform: transform, size: size, resampling: "bilinear",
                                                     noData: -9999, sourceCRS: crsWKT)
            let values = try slice.read(Window(col: 0, row: 0, width: size.width, height: size.height), bands: [1], as: Float.self)
            for pixel in values.indices {
                result[pixel] += values[pixel] == -9999 ? .nan : Float(weight) * values[pixel]
            }
        }
        return result
    }

    /// Time step `index` as a one-band classic raster (georeferenced from the axes).
    func slice(_ index: Int) throws -> Raster {
        let expression = "[" + (0..<3).map { $0 == timeAxis ? "\(index)" : ":" }.joined(separator: ",") + "]"
        do {
            let view = try array.view(expression)
            // The view drops the time axis: the others keep their order.
            let shift = { (axis: Int) in axis > self.timeAxis ? axis - 1 : axis }
            return try view.classicRaster(x: shift(xAxis), y: shift(yAxis))
        } catch let error as GeoError {
            throw SpreadError("weather source \(source.path) (\(source.role)), time step \(index): \(error.reason)")
        }
    }

    static func text(_ date: Date) -> String { date.formatted(.iso8601) }
}
