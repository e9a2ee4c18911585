package govlint.lib_test

import rego.v1

import data.govlint.lib
import data.govlint.test.fixtures as fx

test_lower_ascii_folds_ascii_letters_only if {
	lib.lower_ascii("Lena.Brandt@EXAMPLE.com") == "lena.brandt@example.com"
	lib.lower_ascii("İlker@Example.COM") == "İlker@example.com"
	lib.lower_ascii("ΣΟΦΊΑ") == "ΣΟΦΊΑ"
}

test_whole_prints_numbers_alike_on_every_engine if {
	lib.whole(72000) == "72000"
	lib.whole(300000000000000000) == "300000000000000000"
	lib.whole(2.5) == "3"
	lib.whole(0.125) == "0"
}

test_ancestors_walk_one_chain if {
	lib.ancestors("ops") == {"ops", "exec"} with input as fx.compliant
	not lib.ancestors("nowhere") with input as fx.compliant
}

test_every_department_of_a_tree_is_rooted if {
	lib.unrooted == set() with input as fx.compliant
}
