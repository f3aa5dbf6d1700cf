// The A − B trace of the Compare window: one fetch minus another on the same time axis (B's
// fetch already shifted onto A's time, views::shifted). Per bucket of A, its mean minus B's value
// at the bucket's middle, B's bucket means interpolated linearly; where B has no data (before its
// first bucket or after its last), nothing is drawn.
#pragma once

#include "electrical/strip_chart.h"

namespace review {

views::StripChart::Fetch difference(views::StripChart::Fetch a, views::StripChart::Fetch b);

} // namespace review
