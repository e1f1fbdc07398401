// What the item page shows of a form: each field's picture, cells and hint, with the machine's
// value and alternatives withheld from a field keyed blind.
import Foundation
import Verification

enum ItemView {
    static func values(id: Int64, form: ReviewForm, pictures: Set<String>, problems: [String: [String]] = [:],
                       renewSeconds: Int) -> [String: Any] {
        let firstOpen = form.fields.first { $0.isOpen }?.name ?? form.fields.first?.name
        let fields: [[String: Any]] = form.fields.map { field in
            var view: [String: Any] = [
                "name": field.name, "cost": field.cost.rawValue, "open": field.isOpen, "blind": field.isBlind,
                "flagged": field.standing == "flagged", "picture": pictures.contains(field.name),
                "hasCells": field.cellCount > 0, "cells": (0..<field.cellCount).map { ["doubtful": field.doubtfulCells.contains($0)] },
                "inputmode": field.kind == .digits || field.kind == .signature ? "numeric" : "text",
                "maxlength": field.kind == .digits ? field.cellCount : 3,
                "shown": field.isBlind ? "" : field.value ?? "", "first": field.name == firstOpen,
                "hint": hint(field), "problems": problems[field.name] ?? [],
            ]
            let others = field.isBlind ? [] : Array(field.readings.dropFirst())
            view["hasAlternatives"] = !others.isEmpty
            view["alternatives"] = others
            return view
        }
        let reasons = ReturnReason.allCases.enumerated().map { i, reason in
            ["code": reason.rawValue, "text": reason.text, "number": i + 1, "first": i == 0] as [String: Any]
        }
        return ["id": id, "file": form.file, "reasons": form.reasons, "fields": fields, "renewSeconds": renewSeconds,
                "returnReasons": reasons, "reasonCount": reasons.count]
    }

    static func hint(_ field: ReviewForm.Field) -> String {
        let sure = String(format: "%.1f %%", field.confidence * 100)
        let entry = switch field.kind {
        case .digits: "the digits"
        case .choice: "the share marked (\(field.options.joined(separator: ", ")))"
        case .signature: "1 if signed, 0 if not"
        }
        if field.isBlind { return "Key \(entry) as written. The machine's reading is hidden; yours is compared with it." }
        if field.isOpen { return "The machine read this at \(sure) (\(field.reasons.joined(separator: ", "))). Key \(entry) as written." }
        if field.standing == "flagged" { return "Delivered as unverified (\(sure)). Unlock to correct it." }
        return "Read at \(sure). Unlock to correct it."
    }
}
