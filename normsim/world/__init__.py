"""Who lives in the model: each population of agents with its state as arrays and the rules that
write that state (people, fighters, commanders, armed groups and their integration cycle,
communities, the state's forces, the conflict's environment), the Mesa agents that view them,
the types of group, and the narrow view of a run (:mod:`normsim.world.view`) that the weekly
rules and the engagers are given."""
