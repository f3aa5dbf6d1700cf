// The quantities of a series of series.h with their units and precision, each placed at its enum
// index, so the recorded order is series.h's whatever the order listed (simulator.cpp and
// plant_series.cpp build their specs with it).
#pragma once

#include "twin/sim/series.h"
#include "twin/store.h"

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

namespace twin::sim {

template <class S>
std::vector<Quantity> quantitiesOf(std::initializer_list<std::tuple<typename S::Quantity, const char*, double>> list) {
    std::vector<Quantity> out(S::quantities.size());
    for (const auto& [q, unit, precision] : list) out.at(q) = {S::quantities[q], unit, precision};
    for (const Quantity& q : out)
        if (q.name.empty())
            throw std::logic_error(std::string("series '") + S::name + "': a quantity of series.h is not listed");
    return out;
}

} // namespace twin::sim
