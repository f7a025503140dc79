import Foundation
import Testing
import SwathExport
import SwathGeo
import SwathTestSupport

/// STAC search parameters: RFC 3339 strictly (the cases stac-api-validator sends), bbox and
/// intersects, limits, the Query extension on swath:split, page tokens — each refusal names its parameter.
@Suite struct StacSearchRequestTests {
    static let valid = [
        "1985-04-12T23:20:50.52Z", "1996-12-19T16:39:57-00:00", "1996-12-19T16:39:57+00:00", "1996-12-19T16:39:57-08:00",
        "1996-12-19T16:39:57+08:00", "../1985-04-12T23:20:50.52Z", "1985-04-12T23:20:50.52Z/..", "/1985-04-12T23:20:50.52Z",
        "1985-04-12T23:20:50.52Z/", "1985-04-12T23:20:50.52Z/1986-04-12T23:20:50.52Z",
        "1985-04-12T23:20:50.52+01:00/1986-04-12T23:20:50.52+01:00", "1937-01-01T12:00:27.8710+01:00", "1985-04-12t23:20:50.000z",
        "2020-07-23T00:00:00.012345678Z", "2000-02-29T00:00:00Z",
    ]
    static let invalid = [
        "/", "../..", "/..", "../", "/1984-04-12T23:20:50.52Z/1985-04-12T23:20:50.52Z", "1985-04-12",
        "1937-01-01T12:00:27.87+0100", "37-01-01T12:00:27.87Z", "1985-12-12T23:20:50.52", "21985-12-12T23:20:50.52Z",
        "1985-13-12T23:20:50.52Z", "1985-12-32T23:20:50.52Z", "1985-12-01T25:20:50.52Z", "1985-12-01T00:60:50.52Z",
        "1985-12-01T00:06:61.52Z", "1985-04-12T23:20:50.Z", "1985-04-12T23:20:50,Z", "1986-04-12T23:20:50.52Z/1985-04-12T23:20:50.52Z",
        "1985-04-12T23:20:50,52Z", "2001-02-29T00:00:00Z", "",
    ]

    @Test(arguments: valid) func validDatetimesParse(text: String) throws {
        #expect(throws: Never.self) { try StacDatetime.parse(text) }
    }

    @Test(arguments: invalid) func invalidDatetimesAreRefused(text: String) throws {
        #expect(throws: StacError.self) { try StacDatetime.parse(text) }
    }

    /// Instants against GNU date's own reading of them.
    @Test(arguments: ["1985-04-12T23:20:50Z", "1996-12-19T16:39:57-08:00", "1937-01-01T12:00:27+01:00", "2000-02-29T00:00:00Z"])
    func instantsAgreeWithGNUDate(text: String) throws {
        let seconds = try #require(Double(try Shell.run("date", ["-u", "-d", text, "+%s"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(try StacDatetime.instant(text) == seconds)
        #expect(try StacDatetime.instant(text.replacingOccurrences(of: "Z", with: ".25Z")) == (text.hasSuffix("Z") ? seconds + 0.25 : seconds))
    }

    @Test func openIntervalsContainWhatTheyShould() throws {
        let after = try StacDatetime.parse("2020-01-01T00:00:00Z/..")
        #expect(after.contains(1_600_000_000) && !after.contains(1_500_000_000))
        let exact = try StacDatetime.parse("2020-07-23T00:00:00Z")
        #expect(exact.contains(1_595_462_400) && !exact.contains(1_595_462_401))
    }

    @Test func getAndPostParametersAreChecked() throws {
        let get = try StacSearchRequest.fromQuery(["limit": "1000000", "bbox": "100.0,0.0,0.0,105.0,1.0,1.0", "ids": "a,b",
                                                    "collections": "release-1", "query": #"{"swath:split":{"in":["train","test"]}}"#])
        #expect(get.limit == StacSearchRequest.maximumLimit && get.bbox == [100, 0, 105, 1] && get.ids == ["a", "b"])
        #expect(get.splits == ["train", "test"])
        for (query, parameter) in [(["limit": "-1"], "limit"), (["limit": "0"], "limit"), (["limit": "2.5"], "limit"),
                                   (["bbox": "[100.0, 0.0, 105.0, 1.0]"], "bbox"), (["bbox": "100.0,1.0,105.0,0.0"], "bbox"),
                                   (["bbox": "0,0,0"], "bbox"), (["bbox": "0,0,0,1,1,1,1"], "bbox"), (["bbox": "0,0,200,1"], "bbox"),
                                   (["bbox": "0,0,1,1", "intersects": #"{"type":"Point","coordinates":[0.5,0.5]}"#], "bbox"),
                                   (["intersects": #"{"type":"Nonsense"}"#], "intersects"), (["intersects": "{"], "intersects"),
                                   (["query": #"{"eo:cloud_cover":{"lt":10}}"#], "query"), (["query": #"{"swath:split":{"eq":"holdout"}}"#], "query"),
                                   (["token": "not a token"], "token"), (["datetime": "1985-04-12"], "datetime")] {
            #expect(performing: { try StacSearchRequest.fromQuery(query) }, throws: { ($0 as? StacError)?.parameter == parameter })
        }
        let post = try StacSearchRequest.fromJSON(try JSONParser.parse(#"{"limit":2,"bbox":[100,0,105,1],"ids":["a"],"query":{"swath:split":{"neq":"train"}}}"#))
        #expect(post.limit == 2 && post.splits == ["validation", "test"])
        for (body, parameter) in [(#"{"bbox":"100.0, 0.0, 105.0, 1.0"}"#, "bbox"), (#"{"bbox":[100,1,105,0]}"#, "bbox"),
                                  (#"{"limit":1.5}"#, "limit"), (#"{"ids":[1]}"#, "ids"), (#"[1]"#, "body"),
                                  (#"{"bbox":[0,0,1,1],"intersects":{"type":"Point","coordinates":[0,0]}}"#, "bbox")] {
            #expect(performing: { try StacSearchRequest.fromJSON(try JSONParser.parse(body)) },
                    throws: { ($0 as? StacError)?.parameter == parameter })
        }
        let token = StacPageToken(releaseId: 7, position: 120)
        #expect(try StacPageToken(token.text) == token)
    }
}
