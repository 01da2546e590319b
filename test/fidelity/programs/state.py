from fidelity_kit import program


@program
def update_state_running_count(c):
    c.stream().updateStateByKey(lambda vs, s: sum(vs) + (s or 0)).pprint()


@program
def update_state_removal(c):
    def update(vs, s):
        total = sum(vs) + (s or 0)
        return None if total > 3 else total

    c.stream().updateStateByKey(update).pprint()


@program
def update_state_initial_rdd(c):
    initial = c.rdds(1)[0]
    c.stream(0).updateStateByKey(lambda vs, s: sum(vs) + (s or 0), initialRDD=initial).pprint()


@program
def update_state_strings(c):
    c.stream().updateStateByKey(lambda vs, s: (s or "") + "".join(vs)).pprint()


@program
def update_state_words(c):
    c.stream().flatMap(lambda l: l.split(" ")).map(lambda w: (w, 1)).updateStateByKey(
        lambda vs, s: sum(vs) + (s or 0)
    ).pprint()
