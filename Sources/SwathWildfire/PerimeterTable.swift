import Foundation
import SwathGeo

/// `perimeters.csv` and `perimeters.json`: one row per fire and dated
/// perimeter — time step, date, burned area, outline length, spread rates
/// and the dominant spread direction of the ground it added.
struct PerimeterTable {
    let series: PerimeterSeries

    func write(to folder: URL) throws {
        let formatter = ISO8601DateFormatter()
        func number(_ value: Double?, _ digits: Int) -> String { value.map { String(format: "%.\(digits)f", $0) } ?? "" }
        var csv = "fire,step,time,area_ha,perimeter_m,mean_spread_m_per_day,max_spread_m_per_day,dominant_direction_deg\n"
        var rows: [JSONValue] = []
        for step in series.steps {
            csv += ["\(step.fire)", "\(step.index)", formatter.string(from: step.time), number(step.areaHectares, 4), number(step.perimeterMetres, 2),
                    number(step.meanRate, 3), number(step.maxRate, 3), number(step.dominantDirection, 2)].joined(separator: ",") + "\n"
            func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
            rows.append(.object(["fire": .number(Double(step.fire)), "step": .number(Double(step.index)), "time": .string(formatter.string(from: step.time)),
                                 "areaHectares": .number(step.areaHectares), "perimeterMetres": .number(step.perimeterMetres),
                                 "meanSpreadMetresPerDay": optional(step.meanRate), "maxSpreadMetresPerDay": optional(step.maxRate),
                                 "dominantDirectionDegrees": optional(step.dominantDirection)]))
        }
        try Data(csv.utf8).write(to: folder.appendingPathComponent("perimeters.csv"), options: .atomic)
        try Data(JSONValue.array(rows).serialized).write(to: folder.appendingPathComponent("perimeters.json"), options: .atomic)
    }
}
