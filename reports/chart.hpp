// Inline SVG charts for the HTML report. All text placed in the SVG is
// HTML-escaped here, so the result can be pasted into the page as is.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::reports {

// Acknowledged writes (green) and failed or unknown writes (red, stacked) per
// time bucket over the run; fault intervals shaded from fault.inject to
// fault.heal (or the end of the run); t_f and t_r as labelled vertical lines;
// x axis in seconds. Buckets are merged when the run is long, so the chart
// never has more than a few hundred bars.
std::string throughput_svg(const verify::History& history, const verify::Verdict& verdict);

// One row per member: its sampled role over time (leader bands colored, down
// in dark grey). Empty string when the journal has no member samples.
std::string timeline_svg(const verify::History& history);

}  // namespace faultline::reports
