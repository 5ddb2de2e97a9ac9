/* SPDX-License-Identifier: MIT */
/*
 * lab.h: what the course labs' starter code shares. LAB_TODO() marks a function a task has not
 * filled in yet: it says so on stderr, once per place, so a failing check names the task as
 * well as the test. The reference solutions never call it.
 */
#ifndef LAB_H
#define LAB_H

#include <stdio.h>

/* Reports, once per call site, that task `task` of lab `lab` ("05") is not done yet. */
#define LAB_TODO(lab, task)                                                                        \
	do {                                                                                       \
		static int lab_todo_said_;                                                         \
		if (!lab_todo_said_++)                                                             \
			fprintf(stderr, "TODO(lab-%s) task %d is not done yet (%s, %s:%d)\n", lab, \
				task, __func__, __FILE__, __LINE__);                               \
	} while (0)

#endif
