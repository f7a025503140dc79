import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Label geometry: coordinates in and out (checked against cs2cs), and every refusal.
@Suite struct LabelRouteTests {
    @Test func wgs84RoundTripAgreesWithPROJ() async throws {
        let world = try await TestWorld.make()
        let task = try await world.service.claim(projectId: world.projectA, by: world.service.authenticate(token: world.annotator))!
        // A square 20…60 pixels into the task, in UTM 10N by hand, to lon/lat by cs2cs.
        let utm = [(20, 20), (60, 20), (60, 60), (20, 60), (20, 20)].map {
            Point(x: 600000 + Double(task.window.col + $0.0) * 10, y: 4300000 - Double(task.window.row + $0.1) * 10)
        }
        let lonLat = try GDALTools.toLonLat(fromEPSG: 32610, utm)
        let ring = lonLat.map { [$0.x, $0.y] }
        try await world.test { client in
            let saved = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels", token: world.annotator, json: featureCollection([ring]))
            #expect(saved.status == .ok, "\(saved.text)")
            let wgs84 = try await client.call(.get, "/api/v1/tasks/\(task.id)/labels", token: world.annotator)
            let back = coordinates((wgs84.object["features"] as! [[String: Any]])[0])[0]
            #expect(wgs84.object["crs"] as? String == "EPSG:4326")
            // Same vertices (the right-hand rule may start elsewhere): every sent vertex comes back within 1e-9°.
            for vertex in ring {
                #expect(back.contains { abs($0[0] - vertex[0]) < 1e-9 && abs($0[1] - vertex[1]) < 1e-9 }, "\(vertex)")
            }
            let scene = try await client.call(.get, "/api/v1/tasks/\(task.id)/labels?crs=scene", token: world.annotator)
            let projected = coordinates((scene.object["features"] as! [[String: Any]])[0])[0]
            for point in utm {
                #expect(projected.contains { abs($0[0] - point.x) < 1e-6 && abs($0[1] - point.y) < 1e-6 }, "\(point)")
            }
            let pixel = try await client.call(.get, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator)
            let pixels = coordinates((pixel.object["features"] as! [[String: Any]])[0])[0]
            #expect(pixels.contains { abs($0[0] - 20) < 1e-6 && abs($0[1] - 20) < 1e-6 })
            #expect(pixels.contains { abs($0[0] - 60) < 1e-6 && abs($0[1] - 60) < 1e-6 })
        }
    }

    @Test func windingIsNormalisedAndPartsOutsideAreClipped() async throws {
        let world = try await TestWorld.make()
        let task = try await world.service.claim(projectId: world.projectA, by: world.service.authenticate(token: world.annotator))!
        try await world.test { client in
            // In pixel space (y down) this ring is counter-clockwise on screen, i.e. clockwise on the map; half of it lies past the tile.
            let ring: [[Double]] = [[100, 10], [100, 50], [200, 50], [200, 10], [100, 10]]
            let saved = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator, json: featureCollection([ring]))
            #expect(saved.status == .ok)
            let wgs84 = coordinates((try await client.call(.get, "/api/v1/tasks/\(task.id)/labels", token: world.annotator)
                .object["features"] as! [[String: Any]])[0])[0]
            let area = zip(wgs84, wgs84.dropFirst()).reduce(0.0) { $0 + ($1.0[0] * $1.1[1] - $1.1[0] * $1.0[1]) }
            #expect(area > 0, "exterior rings come out counter-clockwise (RFC 7946)")
            let pixels = coordinates((try await client.call(.get, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator)
                .object["features"] as! [[String: Any]])[0])[0]
            #expect(pixels.map { $0[0] }.max()! <= 128 + 1e-6, "clipped at the tile's right edge")
        }
    }

    @Test(arguments: [
        ("point", #"{"type": "Point", "coordinates": [5, 5]}"#, "not Polygon or MultiPolygon"),
        ("unclosed", #"{"type": "Polygon", "coordinates": [[[1, 1], [20, 1], [20, 20], [1, 20]]]}"#, "not closed"),
        ("two vertices", #"{"type": "Polygon", "coordinates": [[[1, 1], [20, 1], [1, 1], [20, 1], [1, 1]]]}"#, "fewer than 3 distinct"),
        ("bow tie", #"{"type": "Polygon", "coordinates": [[[0, 0], [40, 40], [40, 0], [0, 40], [0, 0]]]}"#,
         "Self-intersection at or near pixel 20.00, 20.00"),
        ("outside", #"{"type": "Polygon", "coordinates": [[[300, 300], [320, 300], [320, 320], [300, 320], [300, 300]]]}"#, "outside task"),
        ("huge number", #"{"type": "Polygon", "coordinates": [[[1, 1], [1e400, 1], [20, 20], [1, 1]]]}"#, "finite"),
    ])
    func refusedGeometryNamesTheReason(_ name: String, _ geometryJSON: String, _ reason: String) async throws {
        let world = try await TestWorld.make()
        let task = try await world.service.claim(projectId: world.projectA, by: world.service.authenticate(token: world.annotator))!
        try await world.test { client in
            let good: [String: Any] = ["type": "Feature", "geometry": ["type": "Polygon", "coordinates": [pixelSquare(1, 1, 10)]],
                                       "properties": ["class": "cropland"]]
            // Sent as text: JSONSerialization could not even write 1e400.
            let goodJSON = String(decoding: try JSONSerialization.data(withJSONObject: good), as: UTF8.self)
            let body = #"{"type": "FeatureCollection", "features": ["# + goodJSON
                + #", {"type": "Feature", "id": "f2", "properties": {"class": 40}, "geometry": "# + geometryJSON + "}]}"
            let reply = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator,
                                              raw: Array(body.utf8))
            if name == "huge number" {
                // 1e400 is not a finite JSON number: refused either as malformed or as non-finite.
                #expect(reply.status == .badRequest || reply.status == .unprocessableContent)
            } else {
                #expect(reply.status == .unprocessableContent, "\(name): \(reply.text)")
                let problems = reply.object["features"] as? [[String: Any]] ?? []
                #expect(problems.count == 1 && problems[0]["index"] as? Int == 1 && problems[0]["id"] as? String == "f2")
                #expect((problems.first?["reason"] as? String)?.contains(reason) == true, "\(name): \(reply.text)")
            }
            // Nothing was saved, not even the good feature.
            #expect(try await world.service.store.labels(taskId: task.id, privateTo: nil).isEmpty)
        }
    }

    /// GEOS names the crossing in the scene's CRS; a caller sending lon/lat gets it back in lon/lat.
    @Test func selfIntersectionIsLocatedInLonLat() async throws {
        let world = try await TestWorld.make()
        let task = try await world.service.claim(projectId: world.projectA, by: world.service.authenticate(token: world.annotator))!
        try await world.test { client in
            let footprint = try await client.call(.get, "/api/v1/tasks/\(task.id)", token: world.annotator).object["footprintWGS84"]
            let ring = coordinates(["geometry": footprint as Any])[0]
            let lons = ring.map { $0[0] }, lats = ring.map { $0[1] }
            let (w, e, s, n) = (lons.min()!, lons.max()!, lats.min()!, lats.max()!)
            let (x0, x1) = (w + (e - w) * 0.3, w + (e - w) * 0.7)
            let (y0, y1) = (s + (n - s) * 0.3, s + (n - s) * 0.7)
            let bowTie = [[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]
            let reply = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels", token: world.annotator,
                                              json: featureCollection([bowTie]))
            let reason = ((reply.object["features"] as? [[String: Any]])?.first?["reason"] as? String) ?? ""
            #expect(reason.contains("Self-intersection at or near lon "), "\(reason)")
            let numbers = reason.components(separatedBy: CharacterSet(charactersIn: "-0123456789.").inverted)
                .compactMap(Double.init).filter { abs($0) > 1 }
            // The diagonals cross at the middle of the box (to well under a metre over a few hundred metres).
            #expect(numbers.count == 2 && abs(numbers[0] - (x0 + x1) / 2) < 1e-5 && abs(numbers[1] - (y0 + y1) / 2) < 1e-5, "\(reason)")
        }
    }

    @Test func unknownClassTooManyVerticesAndSwappedAxes() async throws {
        let world = try await TestWorld.make()
        let task = try await world.service.claim(projectId: world.projectA, by: world.service.authenticate(token: world.annotator))!
        try await world.test { client in
            let unknown = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator,
                                                json: featureCollection([pixelSquare(1, 1, 10)], classes: ["volcano"]))
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("not in the project's taxonomy"))
            var circle = (0..<20_001).map { index -> [Double] in
                let angle = Double(index) / 20_001 * 2 * .pi
                return [64 + 30 * cos(angle), 64 + 30 * sin(angle)]
            }
            circle.append(circle[0])
            let dense = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator,
                                              json: featureCollection([circle]))
            #expect(dense.status == .unprocessableContent && dense.text.contains("more than the 20000"))
            // Latitude first by mistake: 38.8, -121.8 is not a longitude, latitude pair in range.
            let swapped: [[Double]] = [[38.84, -121.84], [38.84, -121.83], [38.83, -121.83], [38.84, -121.84]]
            let reply = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels", token: world.annotator, json: featureCollection([swapped]))
            #expect(reply.status == .unprocessableContent && reply.text.contains("lon, lat"))
        }
    }

    @Test func projectLabelsByBBoxAndStatus() async throws {
        let world = try await TestWorld.make()
        let annotator = try await world.service.authenticate(token: world.annotator)
        let task = try await world.service.claim(projectId: world.projectA, by: annotator)!
        try await world.test { client in
            _ = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator,
                                      json: featureCollection([pixelSquare(10, 10, 20), pixelSquare(60, 60, 20)]))
            let path = "/api/v1/projects/\(world.projectA)/labels"
            #expect(try await client.call(.get, path, token: world.trainer).object["features"].map { ($0 as! [Any]).count } == 0)
            #expect(try await client.call(.get, path + "?status=in_progress", token: world.trainer).status == .forbidden)
            #expect(try await client.call(.get, path + "?status=in_progress", token: world.manager).object["features"].map { ($0 as! [Any]).count } == 2)
            _ = try await client.call(.post, "/api/v1/tasks/\(task.id)/submit", token: world.annotator)
            _ = try await client.call(.post, "/api/v1/tasks/\(task.id)/review", token: world.reviewer, json: ["decision": "accept"])
            let accepted = try await client.call(.get, path, token: world.trainer)
            let features = accepted.object["features"] as! [[String: Any]]
            #expect(features.count == 2)
            // A bbox around the first square only (its lon/lat from the label itself).
            let first = coordinates(features[0])[0]
            let box = [first.map { $0[0] }.min()!, first.map { $0[1] }.min()!, first.map { $0[0] }.max()!, first.map { $0[1] }.max()!]
            let inside = try await client.call(.get, path + "?bbox=\(box.map { String($0) }.joined(separator: ","))", token: world.trainer)
            #expect((inside.object["features"] as! [[String: Any]]).count == 1)
            #expect(try await client.call(.get, path + "?bbox=1,2,3", token: world.trainer).status == .badRequest)
            #expect(try await client.call(.get, path + "?status=done", token: world.manager).status == .badRequest)
        }
    }
}

/// The hand-written label JSON says exactly what JSONEncoder would.
@Suite struct LabelJSONTests {
    @Test func handWrittenJSONEqualsTheEncodableForm() async throws {
        let world = try await TestWorld.make()
        let annotator = try await world.service.authenticate(token: world.annotator)
        let task = try await world.service.claim(projectId: world.projectA, by: annotator)!
        let square: [[Double]] = [[1, 1], [9, 1], [9, 9], [1, 9], [1, 1]]
        let body: JSONValue = .object(["type": .string("FeatureCollection"), "features": .array([
            .object(["type": .string("Feature"), "properties": .object(["class": .string("road"), "attributes": .object(["surface": .string("gravel \"fine\"")])]),
                     "geometry": .object(["type": .string("Polygon"), "coordinates": .array([.array(square.map { .array($0.map(JSONValue.number)) })])])]),
        ])])
        let saved = try await world.service.saveLabels(taskId: task.id, GeoJSONFeatureCollection(json: body), space: .pixel, by: annotator)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let viaEncoder = try JSONParser.parse(Array(try encoder.encode(saved)))
        #expect(try JSONParser.parse(saved.json.serialized) == viaEncoder)
    }
}
