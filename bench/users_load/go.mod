module polycart/bench/users_load

go 1.19
