/* params.h - table-driven ParameterizedTest without pointers in the
 * parameters. Criterion runs each case in a fresh process where pointers
 * into the parent's static data are not valid (ASLR), so the parameter is
 * an index into a file-scope table instead. */
#ifndef IAM_TEST_PARAMS_H
#define IAM_TEST_PARAMS_H
#include <stddef.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#define IAM_TABLE_PARAMS(suite, name, table)                                  \
    ParameterizedTestParameters(suite, name)                                  \
    {                                                                         \
        static size_t idx_[sizeof(table) / sizeof(*(table))];                 \
        for (size_t i_ = 0; i_ < sizeof idx_ / sizeof *idx_; i_++)            \
            idx_[i_] = i_;                                                    \
        return cr_make_param_array(size_t, idx_, sizeof idx_ / sizeof *idx_); \
    }

#endif
